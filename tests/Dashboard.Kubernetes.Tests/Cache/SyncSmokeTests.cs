using Dashboard.Kubernetes.Query;
using Dashboard.Kubernetes.Tests.Infrastructure;

namespace Dashboard.Kubernetes.Tests.Cache;

public sealed class SyncSmokeTests
{
    [Fact]
    public async Task A_subscriber_sees_the_emulators_jobs_then_their_changes()
    {
        await using var test = await TestService.StartAsync(TestService.QuietEmulator("team-a"), TestService.FastOptions(pageSize: 7));
        for (var i = 0; i < 30; i++)
        {
            test.Emulator.Store.Create(Jobs.Create("team-a", $"job-{i:00}"));
        }

        await using var state = new SubscriberState(await test.Service.SubscribeAsync("team-a", null, CancellationToken.None));
        await Wait.UntilAsync(() => state.Sync.Phase == SyncPhase.Live, "the cache is live");
        Assert.Equal(test.EmulatorState("team-a"), state.ResourceVersions());

        test.Emulator.Store.Create(Jobs.Create("team-a", "late"));
        test.Emulator.Store.Delete("team-a", "job-03");
        await Wait.UntilAsync(() => state.ResourceVersions().Count == 30 && state.ResourceVersions().ContainsKey("team-a/late"), "the watch delivered the changes");
        Assert.Equal(test.EmulatorState("team-a"), state.ResourceVersions());
        Assert.Empty(state.Errors);
    }
}
