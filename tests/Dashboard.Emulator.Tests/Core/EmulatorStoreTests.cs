using Dashboard.Emulator.Errors;
using Dashboard.Emulator.Store;
using Dashboard.Emulator.Tests.Infrastructure;

namespace Dashboard.Emulator.Tests.Core;

public sealed class EmulatorStoreTests
{
    [Fact]
    public void ResourceVersion_IsOneIncreasingCounterAcrossResources()
    {
        var store = new EmulatorStore(new EmulatorOptions());
        store.EnsureNamespace("team-a");
        var job = store.Create(TestEmulator.Job("a"));
        store.EnsureNamespace("team-b");
        var again = store.Replace(job);

        Assert.Equal(["1", "2", "4"], new[] { "1", job.Metadata.ResourceVersion, again!.Metadata.ResourceVersion });
        Assert.Equal(4, store.ResourceVersion);
    }

    [Fact]
    public void History_CompactsByItselfAtTheLimit_SoOldVersionsExpire()
    {
        var store = new EmulatorStore(new EmulatorOptions { HistoryLimit = 5 });
        store.EnsureNamespace("team-a");
        for (var i = 0; i < 10; i++)
        {
            store.Create(TestEmulator.Job($"j{i}"));
        }

        Assert.Equal(6, store.OldestResourceVersion(ResourceKind.PyTorchJobs));
        Assert.Equal(5, store.Snapshot(ResourceKind.PyTorchJobs, 7).Items.Count - 1);
        var expired = Assert.Throws<StatusException>(() => store.Snapshot(ResourceKind.PyTorchJobs, 5));
        Assert.Equal(410, expired.Code);
        var tooOld = Assert.Throws<StatusException>(() => store.Watch(ResourceKind.PyTorchJobs, "team-a", 5));
        Assert.Equal(410, tooOld.Code);
        using var fromOldest = store.Watch(ResourceKind.PyTorchJobs, "team-a", 6);
        var replayed = 0;
        while (fromOldest.Events.TryRead(out _))
        {
            replayed++;
        }

        Assert.Equal(5, replayed);
    }

    [Fact]
    public async Task CompactEvery_CompactsPeriodically()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o with { CompactEverySeconds = 0.1 });
        emulator.Store.Create(TestEmulator.Job("a"));
        var rv = emulator.Store.ResourceVersion;
        await Eventually.WaitUntilAsync(() => emulator.Store.OldestResourceVersion(ResourceKind.PyTorchJobs) == rv);
        emulator.Store.Create(TestEmulator.Job("b"));
        await Eventually.WaitUntilAsync(() => emulator.Store.OldestResourceVersion(ResourceKind.PyTorchJobs) == rv + 1);
    }

    [Fact]
    public void ScenarioStore_ReplaceIgnoresVersions_AndListReturnsCopies()
    {
        var store = new EmulatorStore(new EmulatorOptions());
        store.EnsureNamespace("team-a");
        store.EnsureNamespace("team-a");
        var created = store.Create(TestEmulator.Job("a"));
        created.Metadata.ResourceVersion = "999";
        created.Metadata.Labels = new Dictionary<string, string> { ["x"] = "y" };
        var replaced = store.Replace(created)!;
        Assert.Equal("y", replaced.Metadata.Labels["x"]);

        var listed = Assert.Single(store.ListJobs("team-a"));
        listed.Metadata.Labels["x"] = "changed";
        Assert.Equal("y", store.ListJobs("team-a")[0].Metadata.Labels["x"]);
        Assert.Empty(store.ListJobs("team-b"));

        Assert.True(store.Delete("team-a", "a"));
        Assert.False(store.Delete("team-a", "a"));
        Assert.Null(store.Replace(created));
    }
}
