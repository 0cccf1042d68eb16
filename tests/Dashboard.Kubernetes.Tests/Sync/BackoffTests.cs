using Dashboard.Emulator;
using Dashboard.Kubernetes.Configuration;
using Dashboard.Kubernetes.Query;
using Dashboard.Kubernetes.Sync;
using Dashboard.Kubernetes.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Dashboard.Kubernetes.Tests.Sync;

public sealed class BackoffTests
{
    // Batching is tested on the real clock; here the fake clock drives backoff and deadlines only.
    private static readonly TimeSpan BatchGap = TimeSpan.FromMilliseconds(10);

    private static KubernetesOptions Options()
    {
        var options = TestService.FastOptions();
        options.BatchInterval = TimeSpan.Zero;
        return options;
    }

    [Fact]
    public void Delays_double_up_to_the_cap_within_the_jitter()
    {
        var low = new RetryBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), () => 0);
        var high = new RetryBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), () => 1);
        Assert.Equal(TimeSpan.FromSeconds(0.8), low.Delay(1));
        Assert.Equal(TimeSpan.FromSeconds(1.2), high.Delay(1));
        Assert.Equal(TimeSpan.FromSeconds(3.2), low.Delay(3));
        Assert.Equal(TimeSpan.FromSeconds(30), high.Delay(10));
        Assert.Equal(TimeSpan.FromSeconds(24), low.Delay(100));
    }

    [Fact]
    public async Task Failures_back_off_exponentially_on_the_clock_then_turn_stale_and_recover()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var options = Options();
        options.InitialBackoff = TimeSpan.FromSeconds(1);
        options.MaxBackoff = TimeSpan.FromSeconds(8);
        options.StaleAfter = TimeSpan.FromSeconds(20);
        // Every LIST fails with a 500; the server notes the test clock's time of each request.
        await using var failing = await ScriptedApiServer.StartAsync(500, time, failLists: true);
        using var connection = new SwitchableConnection(failing.BaseAddress);
        await using var test = await TestService.StartAsync(TestService.QuietEmulator("team-a"), options, time, connection);
        await using var state = new SubscriberState(await test.Service.SubscribeAsync("team-a", null, CancellationToken.None));
        var firstFailure = time.GetUtcNow();

        var expectedCaps = new[] { 1.0, 2, 4, 8, 8, 8 };
        for (var attempt = 1; attempt <= expectedCaps.Length; attempt++)
        {
            var expectedAttempt = attempt;
            await Wait.UntilAsync(() => state.Sync.Attempt == expectedAttempt, $"attempt {expectedAttempt} is reported");
            var status = state.Sync;
            var nextAt = status.NextAttemptAt!.Value;
            var delay = nextAt - time.GetUtcNow();
            Assert.InRange(delay.TotalSeconds, expectedCaps[attempt - 1] * 0.8 - 0.001, Math.Min(8, expectedCaps[attempt - 1] * 1.2) + 0.001);
            Assert.Equal(ApiErrorKind.ServerError, status.Error?.Kind);
            Assert.Equal(expectedAttempt, failing.Lists);

            // Nothing happens before the backoff elapses: the retry reaches the server no earlier than NextAttemptAt.
            time.Advance(delay - TimeSpan.FromMilliseconds(50));
            time.Advance(TimeSpan.FromMilliseconds(60));
            await Wait.UntilAsync(() => failing.Lists == expectedAttempt + 1, $"retry {expectedAttempt} reaches the server");
            Assert.True(failing.Requests[^1].At >= nextAt, $"retry {expectedAttempt} came at {failing.Requests[^1].At:O}, before {nextAt:O}");
        }

        // Never synced: without data there is nothing stale, it keeps reconnecting.
        Assert.Equal(SyncPhase.Reconnecting, state.Sync.Phase);

        connection.SwitchTo(test.Emulator.BaseAddress);
        await Wait.UntilAsync(() => state.Sync.Attempt == expectedCaps.Length + 1, "the next attempt is reported");
        time.Advance(state.Sync.NextAttemptAt!.Value - time.GetUtcNow() + BatchGap);
        await Wait.UntilAsync(() => state.Sync.Phase == SyncPhase.Live, "the cache recovers");
        Assert.True(time.GetUtcNow() - firstFailure > TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Data_turns_stale_after_failing_long_enough_and_stays_available()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var options = Options();
        options.InitialBackoff = TimeSpan.FromSeconds(1);
        options.MaxBackoff = TimeSpan.FromSeconds(4);
        options.StaleAfter = TimeSpan.FromSeconds(10);
        await using var test = await TestService.StartAsync(TestService.QuietEmulator("team-a"), options, time);
        test.Emulator.Store.Create(Jobs.Create("team-a", "kept"));
        await using var state = new SubscriberState(await test.Service.SubscribeAsync("team-a", null, CancellationToken.None));
        await Wait.UntilAsync(() => state.Sync.Phase == SyncPhase.Live, "the cache is live");
        await Wait.UntilAsync(async () => EmulatorControl.Count(await test.Control.StatsAsync(), "watchesOpenNow", "team-a") == 1, "the watch is open");

        await test.Control.SetFaultsAsync(new FaultSettings(FailRate: 1.0, CutWatchAfter: 1));
        time.Advance(BatchGap);
        var cutAt = time.GetUtcNow();
        test.Emulator.Store.Create(Jobs.Create("team-a", "cut"));
        await Wait.UntilAsync(() => state.ResourceVersions().Count == 2, "the last event arrived");
        time.Advance(BatchGap);
        await Wait.UntilAsync(() => state.Sync.Phase == SyncPhase.Reconnecting, "the cache reconnects");
        while (state.Sync.Phase != SyncPhase.Stale)
        {
            var attempt = state.Sync.Attempt;
            time.Advance(state.Sync.NextAttemptAt!.Value - time.GetUtcNow() + BatchGap);
            await Wait.UntilAsync(() => state.Sync.Attempt > attempt, "the next attempt is reported");
            Assert.True(time.GetUtcNow() - cutAt < TimeSpan.FromSeconds(30), "stale came too late");
        }

        Assert.InRange(state.Sync.StaleSince!.Value, cutAt, cutAt + BatchGap);
        Assert.True(time.GetUtcNow() - cutAt >= TimeSpan.FromSeconds(10), "stale came too early");
        Assert.Equal(2, state.ResourceVersions().Count);
    }

    [Fact]
    public async Task A_watch_silent_past_its_timeout_is_treated_as_dead_and_reopened()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var options = Options();
        options.WatchTimeoutSeconds = 60;
        options.WatchIdleMarginSeconds = 10;
        await using var test = await TestService.StartAsync(TestService.QuietEmulator("team-a") with { BookmarkInterval = TimeSpan.FromHours(1) }, options, time);
        await using var state = new SubscriberState(await test.Service.SubscribeAsync("team-a", null, CancellationToken.None));
        await Wait.UntilAsync(() => state.Sync.Phase == SyncPhase.Live, "the cache is live");
        await Wait.UntilAsync(async () => EmulatorControl.Count(await test.Control.StatsAsync(), "watchesOpenNow", "team-a") == 1, "the watch is open");

        // Still alive just before timeout + margin: a change made now arrives on this watch (had it been declared
        // dead, the retry would wait on the clock, which stands still). That change restarts the idle clock.
        time.Advance(TimeSpan.FromSeconds(69));
        test.Emulator.Store.Create(Jobs.Create("team-a", "late"));
        await Wait.UntilAsync(() => state.ResourceVersions().ContainsKey("team-a/late"), "the watch still delivers");
        Assert.Equal(SyncPhase.Live, state.Sync.Phase);
        time.Advance(TimeSpan.FromSeconds(69));
        time.Advance(TimeSpan.FromSeconds(2));
        await Wait.UntilAsync(() => state.Sync.Phase == SyncPhase.Reconnecting, "the silent watch is declared dead");
        Assert.Equal(ApiErrorKind.Timeout, state.Sync.Error?.Kind);

        time.Advance(state.Sync.NextAttemptAt!.Value - time.GetUtcNow() + BatchGap);
        await Wait.UntilAsync(() => state.Sync.Phase == SyncPhase.Live, "a new watch is open");
        time.Advance(BatchGap);
        test.Emulator.Store.Create(Jobs.Create("team-a", "after"));
        await Wait.UntilAsync(() => state.ResourceVersions().ContainsKey("team-a/after"), "changes flow on the new watch");
        var cache = Assert.Single(test.Service.Caches.Caches.Values);
        Assert.Equal(1, cache.Counters.ListsStarted);
        Assert.Equal(2, cache.Counters.WatchesOpened);
    }
}
