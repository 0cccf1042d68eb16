using Dashboard.Emulator;
using Dashboard.Kubernetes.Query;
using Dashboard.Kubernetes.Tests.Infrastructure;

namespace Dashboard.Kubernetes.Tests.Query;

public sealed class FirstPageAndRelistTests
{
    [Fact]
    public async Task The_first_page_reaches_subscribers_before_the_last_one_with_progress()
    {
        await using var test = await TestService.StartAsync(TestService.QuietEmulator("team-a"), TestService.FastOptions(pageSize: 10));
        for (var i = 0; i < 50; i++)
        {
            test.Emulator.Store.Create(Jobs.Create("team-a", $"job-{i:00}"));
        }

        // Each page takes a while to come, so the first one is visible long before the list completes.
        await test.Control.SetFaultsAsync(new FaultSettings(LatencyMs: 150));
        await using var state = new SubscriberState(await test.Service.SubscribeAsync("team-a", null, CancellationToken.None));
        await Wait.UntilAsync(() => state.Sync.Phase == SyncPhase.Live, "the cache is live");

        // Which pages a subscriber sees depends on how batches fall against the page latency; what must hold on any
        // machine: progress only grows, ends at the total, and some partial page was shown before the list completed.
        var statuses = state.Statuses.ToList();
        var progress = statuses.TakeWhile(s => s.Phase == SyncPhase.Syncing).ToList();
        var loaded = progress.Select(s => s.ItemsLoaded).ToList();
        Assert.Equal(loaded.Order(), loaded);
        Assert.Contains(progress, s => s is { ItemsLoaded: > 0 and < 50, ItemsEstimated: 50 });
        Assert.All(progress.Where(s => s.ItemsLoaded > 0), s => Assert.Equal(0, s.ItemsLoaded % 10)); // whole pages only
        Assert.Equal(SyncPhase.Live, statuses[progress.Count].Phase);
        Assert.Equal(50, statuses[progress.Count].ItemsLoaded);
        Assert.Equal(50, state.ResourceVersions().Count);
    }

    [Fact]
    public async Task A_relist_after_410_sends_only_what_changed()
    {
        await using var test = await TestService.StartAsync(TestService.QuietEmulator("team-a"), TestService.FastOptions(pageSize: 7));
        var store = test.Emulator.Store;
        for (var i = 0; i < 30; i++)
        {
            store.Create(Jobs.Create("team-a", $"job-{i:00}"));
        }

        var changes = new List<JobChange>();
        await using var subscription = await test.Service.SubscribeAsync("team-a", null, CancellationToken.None);
        var reader = Task.Run(async () =>
        {
            await foreach (var batch in subscription.Changes)
            {
                lock (changes)
                {
                    changes.AddRange(batch.Changes);
                }
            }
        });
        var cache = Assert.Single(test.Service.Caches.Caches.Values);
        await Wait.UntilAsync(() => cache.Sync.Phase == SyncPhase.Live && cache.Count == 30, "the cache is live");
        await Wait.UntilAsync(async () => EmulatorControl.Count(await test.Control.StatsAsync(), "watchesOpenNow", "team-a") == 1, "the watch is open");
        await Wait.UntilAsync(() => { lock (changes) { return changes.Count == 30; } }, "the initial pages reached the subscriber");
        lock (changes)
        {
            changes.Clear();
        }

        var before = cache.ResourceVersions();

        // Cut the watch, change things while it cannot reconnect, compact: the next watch gets 410 and the cache relists.
        await test.Control.SetFaultsAsync(new FaultSettings(FailRate: 1.0, CutWatchAfter: 1));
        store.Create(Jobs.Create("team-a", "new-1"));
        await Wait.UntilAsync(async () => EmulatorControl.Count(await test.Control.StatsAsync(), "watchesOpenNow", "team-a") == 0, "the watch is cut");
        store.Delete("team-a", "job-05");
        var changed = store.ListJobs("team-a").Single(j => j.Metadata.Name == "job-06");
        changed.Metadata.Labels["tier"] = "gold";
        store.Replace(changed);
        store.Create(Jobs.Create("team-a", "new-2"));
        await test.Control.CompactAsync();
        await test.Control.ClearFaultsAsync();

        await Wait.UntilAsync(() => cache.Counters.Expired >= 1 && cache.Counters.ListsStarted == 2 && cache.ResourceVersions().Count == 31 && !cache.ResourceVersions().ContainsKey("team-a/job-05"), "the cache relisted");
        Assert.Equal(test.EmulatorState("team-a"), cache.ResourceVersions());
        await Wait.UntilAsync(() => { lock (changes) { return changes.Count >= 4; } }, "the changes arrived");
        lock (changes)
        {
            var moved = changes.Where(c => c.Kind == JobChangeKind.Upsert && before.ContainsKey(c.Namespace + "/" + c.Name)).Select(c => $"{c.Name}:{before[c.Namespace + "/" + c.Name]}->{c.Job!.ResourceVersion}").ToArray();
            Assert.True(moved.Length <= 1, string.Join(" ", moved));
            // new-1 came on the cut watch; the relist adds only the three differences, no flicker of the unchanged 28.
            Assert.Equal(
                ["Delete team-a/job-05", "Upsert team-a/job-06", "Upsert team-a/new-1", "Upsert team-a/new-2"],
                changes.Select(c => $"{c.Kind} {c.Namespace}/{c.Name}").Order(StringComparer.Ordinal).ToArray());
        }

        await subscription.DisposeAsync();
        await reader;
    }
}

public sealed class ContinueTokenExpiryTests
{
    [Fact]
    public async Task A_continue_token_compacted_mid_list_restarts_the_list_and_ends_exact()
    {
        await using var test = await TestService.StartAsync(TestService.QuietEmulator("team-a"), TestService.FastOptions(pageSize: 5));
        for (var i = 0; i < 30; i++)
        {
            test.Emulator.Store.Create(Jobs.Create("team-a", $"job-{i:00}"));
        }

        await test.Control.SetFaultsAsync(new Dashboard.Emulator.FaultSettings(LatencyMs: 200));
        await using var state = new SubscriberState(await test.Service.SubscribeAsync("team-a", null, CancellationToken.None));
        await Wait.UntilAsync(() => state.ResourceVersions().Count >= 5, "the first page arrived");

        // The list's snapshot is now older than the history: its next continue token must get 410.
        test.Emulator.Store.Delete("team-a", "job-29");
        test.Emulator.Store.Create(Jobs.Create("team-a", "job-30"));
        await test.Control.CompactAsync();
        await test.Control.ClearFaultsAsync();

        await Wait.UntilAsync(() => state.Sync.Phase == SyncPhase.Live, "the cache is live");
        var cache = Assert.Single(test.Service.Caches.Caches.Values);
        Assert.True(cache.Counters.Expired >= 1, "no 410 on the continue token");
        Assert.Equal(2, cache.Counters.ListsStarted);
        await Wait.UntilAsync(() => state.ResourceVersions().Count == 30, "the subscriber has every job");
        Assert.Equal(test.EmulatorState("team-a"), cache.ResourceVersions());
        Assert.Equal(test.EmulatorState("team-a"), state.ResourceVersions());
        Assert.Empty(state.Errors);
    }
}
