using Dashboard.Emulator;
using Dashboard.Kubernetes.Query;
using Dashboard.Kubernetes.Tests.Infrastructure;

namespace Dashboard.Kubernetes.Tests.Sync;

/// <summary>Lists that fail part way: what the subscribers see and how the next attempt starts.</summary>
public sealed class RelistTests
{
    [Fact]
    public async Task A_continue_token_the_server_refuses_is_dropped_and_the_list_starts_over()
    {
        await using var server = await ScriptedApiServer.StartAsync(0, TimeProvider.System, rejectContinue: true);
        using var connection = new SwitchableConnection(server.BaseAddress);
        await using var test = await TestService.StartAsync(TestService.QuietEmulator("unused"), connection: connection);
        await using var state = new SubscriberState(await test.Service.SubscribeAsync("team-a", null, CancellationToken.None));

        await Wait.UntilAsync(() => state.Sync.Phase == SyncPhase.Live, "a fresh list completes");
        var lists = server.Requests.Where(r => !r.Watch).Select(r => r.Query.Contains("continue=", StringComparison.Ordinal) ? "continue" : "fresh").ToArray();
        Assert.Equal(["fresh", "continue", "fresh"], lists);
    }

    [Fact]
    public async Task A_warm_cache_keeps_its_state_while_it_relists_through_failing_pages()
    {
        var options = TestService.FastOptions(pageSize: 1);
        await using var test = await TestService.StartAsync(TestService.QuietEmulator("team-a"), options);
        for (var i = 0; i < 10; i++)
        {
            test.Emulator.Store.Create(Jobs.Create("team-a", $"job-{i}"));
        }

        await using var state = new SubscriberState(await test.Service.SubscribeAsync("team-a", null, CancellationToken.None));
        await Wait.UntilAsync(() => state.Sync.Phase == SyncPhase.Live, "the cache is live");
        await Wait.UntilAsync(async () => EmulatorControl.Count(await test.Control.StatsAsync(), "watchesOpenNow", "team-a") == 1, "the watch is open");

        // The watch is cut and its history compacted (so: relist), and half the requests fail, pages included.
        await test.Control.SetFaultsAsync(new FaultSettings(FailRate: 1.0, CutWatchAfter: 1));
        test.Emulator.Store.Create(Jobs.Create("team-a", "cut"));
        await Wait.UntilAsync(() => state.Sync.Phase == SyncPhase.Reconnecting, "the watch is down");
        test.Emulator.Store.Create(Jobs.Create("team-a", "missed"));
        await test.Control.CompactAsync();
        await test.Control.SetFaultsAsync(new FaultSettings(FailRate: 0.5));
        var cache = test.Service.Caches.Caches["team-a"];
        await Wait.UntilAsync(() => cache.Counters.ListsStarted >= 2 && state.Sync.Phase == SyncPhase.Live && state.ResourceVersions().Count == 12, "the relist completes");
        await test.Control.ClearFaultsAsync();

        var statuses = state.Statuses.ToArray(); // a copy: the reader may still be adding
        var firstLive = Array.FindIndex(statuses, s => s.Phase == SyncPhase.Live);
        Assert.DoesNotContain(statuses.Skip(firstLive), s => s.Phase == SyncPhase.Syncing);
        Assert.Equal(test.EmulatorState("team-a"), state.ResourceVersions());
    }
}
