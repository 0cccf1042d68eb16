using Dashboard.Kubernetes.Query;
using Dashboard.Kubernetes.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Dashboard.Kubernetes.Tests.Cache;

public sealed class SharedWatchTests
{
    [Fact]
    public async Task Fifty_subscribers_on_one_namespace_cost_one_list_and_one_watch()
    {
        var options = TestService.FastOptions(pageSize: 10);
        options.CacheGracePeriod = TimeSpan.FromMilliseconds(200);
        await using var test = await TestService.StartAsync(TestService.QuietEmulator("team-a"), options);
        for (var i = 0; i < 45; i++)
        {
            test.Emulator.Store.Create(Jobs.Create("team-a", $"job-{i}", new Dictionary<string, string> { ["index"] = (i % 5).ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        }

        var states = new List<SubscriberState>();
        for (var i = 0; i < 50; i++)
        {
            var selector = i % 2 == 0 ? null : $"index={i % 5}";
            states.Add(new SubscriberState(await test.Service.SubscribeAsync("team-a", selector, CancellationToken.None)));
        }

        await Wait.UntilAsync(() => states.All(s => s.Sync.Phase == SyncPhase.Live), "all subscribers see Live");
        await Wait.UntilAsync(async () => EmulatorControl.Count(await test.Control.StatsAsync(), "watchesOpenNow", "team-a") == 1, "the watch is open");

        test.Emulator.Store.Create(Jobs.Create("team-a", "one-more"));
        await Wait.UntilAsync(() => states.Where((_, i) => i % 2 == 0).All(s => s.ResourceVersions().ContainsKey("team-a/one-more")), "every subscriber got the new job");

        var stats = await test.Control.StatsAsync();
        Assert.Equal(5, EmulatorControl.Count(stats, "listPagesByNamespace", "team-a")); // 45 jobs in pages of 10: one list sequence
        Assert.Equal(1, EmulatorControl.Count(stats, "watchesOpenedByNamespace", "team-a"));
        Assert.Equal(1, EmulatorControl.Count(stats, "watchesOpenNow", "team-a"));
        Assert.Single(test.Service.Caches.Caches);

        foreach (var state in states)
        {
            Assert.Empty(state.Errors);
            await state.DisposeAsync();
        }

        // The last subscriber left: after the grace period the cache stops and its watch closes.
        await Wait.UntilAsync(async () => EmulatorControl.Count(await test.Control.StatsAsync(), "watchesOpenNow", "team-a") == 0, "the watch is closed");
        Assert.Empty(test.Service.Caches.Caches);
    }

    [Fact]
    public async Task A_burst_of_a_thousand_events_reaches_a_subscriber_as_a_handful_of_batches()
    {
        // The batch interval runs on a fake clock that stands still during the burst, so however slowly this machine
        // delivers the 1,000 events, the subscriber may take at most one batch before the interval ends and one after.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
        var options = TestService.FastOptions();
        await using var test = await TestService.StartAsync(TestService.QuietEmulator("team-a"), options, time);
        await using var state = new SubscriberState(await test.Service.SubscribeAsync("team-a", null, CancellationToken.None));
        await Wait.UntilAsync(() => state.Sync.Phase == SyncPhase.Live, "the cache is live");
        await Wait.UntilAsync(async () => EmulatorControl.Count(await test.Control.StatsAsync(), "watchesOpenNow", "team-a") == 1, "the watch is open");
        var cache = Assert.Single(test.Service.Caches.Caches.Values);
        var batchesBefore = state.Batches;

        for (var i = 0; i < 1000; i++)
        {
            test.Emulator.Store.Create(Jobs.Create("team-a", $"burst-{i}"));
        }

        await Wait.UntilAsync(() => cache.Count == 1000, "the cache holds all 1,000 jobs");
        time.Advance(options.BatchInterval);

        await Wait.UntilAsync(() => state.ResourceVersions().Count == 1000, "all 1,000 jobs arrived");
        Assert.Equal(test.EmulatorState("team-a"), state.ResourceVersions());
        Assert.InRange(state.Batches - batchesBefore, 1, 2);
        Assert.Empty(state.Errors);
    }

    [Fact]
    public async Task Jobs_entering_and_leaving_a_selector_arrive_as_upsert_and_delete()
    {
        await using var test = await TestService.StartAsync(TestService.QuietEmulator("team-a"));
        var job = test.Emulator.Store.Create(Jobs.Create("team-a", "mover", new Dictionary<string, string> { ["tier"] = "bronze" }));
        await using var gold = new SubscriberState(await test.Service.SubscribeAsync("team-a", "tier=gold", CancellationToken.None));
        await Wait.UntilAsync(() => gold.Sync.Phase == SyncPhase.Live, "the cache is live");
        Assert.Empty(gold.ResourceVersions());

        job.Metadata.Labels = new Dictionary<string, string> { ["tier"] = "gold" };
        job = test.Emulator.Store.Replace(job)!;
        await Wait.UntilAsync(() => gold.ResourceVersions().ContainsKey("team-a/mover"), "the job entered the selection");

        job.Metadata.Labels = new Dictionary<string, string> { ["tier"] = "silver" };
        test.Emulator.Store.Replace(job);
        await Wait.UntilAsync(() => gold.ResourceVersions().Count == 0, "the job left the selection");
        Assert.Empty(gold.Errors);
    }
}
