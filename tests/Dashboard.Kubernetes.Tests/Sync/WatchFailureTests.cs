using System.Globalization;
using Dashboard.Emulator;
using Dashboard.Emulator.Store;
using Dashboard.Kubernetes.Configuration;
using Dashboard.Kubernetes.Query;
using Dashboard.Kubernetes.Tests.Infrastructure;
using Dashboard.Model.PyTorchJobs;
using Microsoft.Extensions.Time.Testing;

namespace Dashboard.Kubernetes.Tests.Sync;

/// <summary>Watches that break in the middle: where the loop resumes, how it paces retries, and what the cache keeps.</summary>
public sealed class WatchFailureTests
{
    private static FakeTimeProvider NewClock() =>
        new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", CultureInfo.InvariantCulture));

    private static KubernetesOptions ClockedOptions()
    {
        var options = TestService.FastOptions();
        options.BatchInterval = TimeSpan.Zero;
        options.InitialBackoff = TimeSpan.FromSeconds(1);
        options.MaxBackoff = TimeSpan.FromSeconds(8);
        options.StaleAfter = TimeSpan.FromSeconds(20);
        return options;
    }

    private static void SetConditions(EmulatorStore store, string @namespace, string name, params string[] types) =>
        store.Update(ResourceKind.PyTorchJobs, @namespace, name, current =>
        {
            var job = (PyTorchJob)current;
            var at = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            job.Status = new JobStatus
            {
                Conditions = [.. types.Select((type, i) => Jobs.Condition(type, "True", at.AddMinutes(i)))],
            };
            return job;
        });

    [Fact]
    public async Task A_watch_reset_midway_resumes_after_the_last_event_it_delivered()
    {
        await using var test = await TestService.StartAsync(TestService.QuietEmulator("team-a"));
        await using var state = new SubscriberState(await test.Service.SubscribeAsync("team-a", null, CancellationToken.None));
        await Wait.UntilAsync(() => state.Sync.Phase == SyncPhase.Live, "the cache is live");
        await Wait.UntilAsync(async () => EmulatorControl.Count(await test.Control.StatsAsync(), "watchesOpenNow", "team-a") == 1, "the watch is open");

        // Four events; the connection is reset right after the third is written.
        await test.Control.SetFaultsAsync(new FaultSettings(AbortWatchAfter: 3));
        var store = test.Emulator.Store;
        store.Create(Jobs.Create("team-a", "a"));
        SetConditions(store, "team-a", "a", JobConditionTypes.Created);
        SetConditions(store, "team-a", "a", JobConditionTypes.Created, JobConditionTypes.Running);
        SetConditions(store, "team-a", "a", JobConditionTypes.Created, JobConditionTypes.Running, JobConditionTypes.Succeeded);
        await Wait.UntilAsync(async () => (await test.Control.StatsAsync()).GetProperty("faultsServed").GetInt32() >= 1, "the watch was reset");
        await test.Control.ClearFaultsAsync();

        await Wait.UntilAsync(() => state.ResourceVersions().GetValueOrDefault("team-a/a") == test.EmulatorState("team-a")["team-a/a"], "the last version arrived");
        await using var detail = await test.Service.SubscribeJobAsync("team-a", "a", CancellationToken.None);

        // Each transition once, in order: nothing the reset watch delivered was replayed over newer versions.
        var history = detail.Current!.History;
        Assert.Equal(
            [JobConditionTypes.Created, JobConditionTypes.Running, JobConditionTypes.Succeeded],
            history.Where(h => h.Kind == ObservedChangeKind.Condition).Select(h => h.Condition!.Type).ToArray());
        var versions = history.Select(h => long.Parse(h.ResourceVersion, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(versions.Order().ToArray(), versions);
        Assert.Empty(state.Errors);
    }

    [Fact]
    public async Task A_watch_that_always_answers_410_backs_off_instead_of_relisting_in_a_loop()
    {
        var time = NewClock();
        await using var server = await ScriptedApiServer.StartAsync(410, time);
        using var connection = new SwitchableConnection(server.BaseAddress);
        await using var test = await TestService.StartAsync(TestService.QuietEmulator("unused"), ClockedOptions(), time, connection);
        await using var state = new SubscriberState(await test.Service.SubscribeAsync("team-a", null, CancellationToken.None));

        // A few relists at once are fine; then the loop must wait on the clock (which stands still here).
        await Wait.UntilAsync(() => state.Sync.Attempt >= 1 || server.Lists > 100, "the loop backs off");
        Assert.InRange(server.Lists, 2, 4);
        Assert.Equal(410, state.Sync.Error?.Code);
        Assert.NotEqual(SyncPhase.Live, state.Sync.Phase);

        // Each further relist waits for its backoff, which grows.
        var previousDelay = TimeSpan.Zero;
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var expectedAttempt = attempt;
            await Wait.UntilAsync(() => state.Sync.Attempt == expectedAttempt, $"attempt {expectedAttempt} is reported");
            var nextAt = state.Sync.NextAttemptAt!.Value;
            var delay = nextAt - time.GetUtcNow();
            Assert.True(delay > previousDelay * 1.2, $"backoff {delay} did not grow from {previousDelay}");
            previousDelay = delay;
            var lists = server.Lists;
            time.Advance(delay);
            await Wait.UntilAsync(() => state.Sync.Attempt == expectedAttempt + 1 || server.Lists > lists + 1, "the next attempt fails");
            Assert.Equal(lists + 1, server.Lists);
            Assert.True(server.Requests.Where(r => !r.Watch).Last().At >= nextAt, "a relist came before its backoff elapsed");
        }
    }

    [Fact]
    public async Task A_watch_that_opens_then_fails_backs_off_exponentially_and_turns_stale()
    {
        var time = NewClock();
        await using var server = await ScriptedApiServer.StartAsync(500, time);
        using var connection = new SwitchableConnection(server.BaseAddress);
        await using var test = await TestService.StartAsync(TestService.QuietEmulator("unused"), ClockedOptions(), time, connection);
        await using var state = new SubscriberState(await test.Service.SubscribeAsync("team-a", null, CancellationToken.None));
        await Wait.UntilAsync(() => state.Sync.Attempt == 1, "the first watch fails");
        var firstFailure = time.GetUtcNow();

        var expectedCaps = new[] { 1.0, 2, 4, 8, 8, 8, 8 };
        for (var attempt = 1; attempt <= expectedCaps.Length; attempt++)
        {
            var expectedAttempt = attempt;
            await Wait.UntilAsync(() => state.Sync.Attempt == expectedAttempt, $"attempt {expectedAttempt} is reported");
            var status = state.Sync;
            Assert.Equal(500, status.Error?.Code);
            var nextAt = status.NextAttemptAt!.Value;
            var delay = nextAt - time.GetUtcNow();
            Assert.InRange(delay.TotalSeconds, (expectedCaps[attempt - 1] * 0.8) - 0.001, Math.Min(8, expectedCaps[attempt - 1] * 1.2) + 0.001);

            var watches = server.Watches;
            time.Advance(delay);
            await Wait.UntilAsync(() => server.Watches > watches, "the watch is retried");
            Assert.True(server.Requests.Last().At >= nextAt, "a retry came before its backoff elapsed");
        }

        // Synced once, then failing for longer than StaleAfter: the data is stale, not live.
        await Wait.UntilAsync(() => state.Sync.Attempt == expectedCaps.Length + 1, "the last attempt is reported");
        Assert.True(time.GetUtcNow() - firstFailure >= TimeSpan.FromSeconds(20));
        Assert.Equal(SyncPhase.Stale, state.Sync.Phase);
        Assert.Equal(firstFailure, state.Sync.StaleSince);
        Assert.Equal(1, server.Lists);
    }

    [Fact]
    public async Task A_job_recreated_under_the_same_name_while_the_watch_was_down_starts_a_new_history()
    {
        await using var test = await TestService.StartAsync(TestService.QuietEmulator("team-a"));
        var store = test.Emulator.Store;
        store.Create(Jobs.Create("team-a", "a"));
        await using var state = new SubscriberState(await test.Service.SubscribeAsync("team-a", null, CancellationToken.None));
        await Wait.UntilAsync(() => state.Sync.Phase == SyncPhase.Live, "the cache is live");
        await Wait.UntilAsync(async () => EmulatorControl.Count(await test.Control.StatsAsync(), "watchesOpenNow", "team-a") == 1, "the watch is open");
        SetConditions(store, "team-a", "a", JobConditionTypes.Created, JobConditionTypes.Running);
        var cache = test.Service.Caches.Caches["team-a"];
        await Wait.UntilAsync(() => cache.Find("team-a", "a")?.Summary.ResourceVersion == test.EmulatorState("team-a")["team-a/a"], "the old job's status arrived");
        var oldUid = cache.Find("team-a", "a")!.Summary.Uid;
        await using var watched = await test.Service.SubscribeJobAsync("team-a", "a", CancellationToken.None);
        var updates = new List<JobDetailUpdate>();
        var reader = Task.Run(async () =>
        {
            await foreach (var update in watched.Updates)
            {
                lock (updates)
                {
                    updates.Add(update);
                }
            }
        });

        // The watch goes down; meanwhile the job is deleted and created again, and the history compacted (so: relist).
        await test.Control.SetFaultsAsync(new FaultSettings(FailRate: 1.0, CutWatchAfter: 1));
        store.Create(Jobs.Create("team-a", "trigger"));
        await Wait.UntilAsync(() => state.Sync.Phase == SyncPhase.Reconnecting, "the watch is down");
        store.Delete(ResourceKind.PyTorchJobs, "team-a", "a");
        var newUid = store.Create(Jobs.Create("team-a", "a")).Metadata.Uid;
        await test.Control.CompactAsync();
        await test.Control.ClearFaultsAsync();

        await Wait.UntilAsync(() => cache.Find("team-a", "a")?.Summary.Uid == newUid, "the relist brought the new job");
        Assert.NotEqual(oldUid, newUid);
        await using var detail = await test.Service.SubscribeJobAsync("team-a", "a", CancellationToken.None);
        Assert.False(detail.Current!.Deleted);

        // Only what the new job showed when first seen (its replica counts): none of the old job's transitions.
        var newVersion = detail.Current.Summary.ResourceVersion;
        Assert.DoesNotContain(detail.Current.History, h => h.Kind == ObservedChangeKind.Condition);
        Assert.All(detail.Current.History, h => Assert.Equal(newVersion, h.ResourceVersion));
        await Wait.UntilAsync(() => state.ResourceVersions().Count == 2 && state.Sync.Phase == SyncPhase.Live, "the subscriber caught up");
        Assert.Equal(test.EmulatorState("team-a"), state.ResourceVersions());

        // Someone watching the name saw the old job end before the new one appeared.
        await Wait.UntilAsync(() => { lock (updates) { return updates.Any(u => u.Detail?.Summary.Uid == newUid); } }, "the detail shows the new job");
        await watched.DisposeAsync();
        await reader;
        var uids = updates.Select(u => (u.Detail?.Summary.Uid, u.Detail?.Deleted)).Distinct().ToArray();
        var deleted = Array.IndexOf(uids, (oldUid, (bool?)true));
        Assert.InRange(deleted, 0, Array.IndexOf(uids, (newUid, (bool?)false)) - 1);
    }
}
