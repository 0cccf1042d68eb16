using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Dashboard.Emulator;
using Dashboard.Kubernetes.Query;
using Dashboard.Kubernetes.Sync;
using Dashboard.Kubernetes.Tests.Infrastructure;
using k8s.Autorest;
using Microsoft.Extensions.Time.Testing;

namespace Dashboard.Kubernetes.Tests.Sync;

/// <summary>
/// 429 Too Many Requests (and Retry-After on 5xx): the sync waits at least as long as the server asks, shows that
/// wait, resumes a throttled list at the page that was refused, and goes Live by itself once the throttling stops.
/// </summary>
public sealed class ThrottlingTests
{
    // Batching is tested on the real clock; here the fake clock drives backoff and deadlines only.
    private static readonly TimeSpan BatchGap = TimeSpan.FromMilliseconds(10);

    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-01-01T00:00:00Z", CultureInfo.InvariantCulture);

    private const string ThrottledBody =
        """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Too many requests, please try again later.","reason":"TooManyRequests","details":{"retryAfterSeconds":3},"code":429}""";

    [Theory]
    [InlineData("7", 7.0)]
    [InlineData(" 12 ", 12.0)]
    [InlineData("0", 0.0)]
    [InlineData("-1", null)]
    [InlineData("soon", null)]
    [InlineData("1.5", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Retry_after_delta_seconds_are_read_and_anything_else_is_ignored(string? header, double? expectedSeconds)
    {
        var expected = expectedSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        Assert.Equal(expected, ApiErrorClassifier.RetryAfter(header, Now));
    }

    [Fact]
    public void A_retry_after_http_date_counts_from_now_and_a_past_one_means_no_wait()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), ApiErrorClassifier.RetryAfter(Now.AddSeconds(30).ToString("R", CultureInfo.InvariantCulture), Now));
        Assert.Equal(TimeSpan.Zero, ApiErrorClassifier.RetryAfter(Now.AddMinutes(-5).ToString("R", CultureInfo.InvariantCulture), Now));
    }

    [Fact]
    public void The_header_is_found_by_name_in_any_case_among_copied_headers()
    {
        var headers = new Dictionary<string, IEnumerable<string>>(StringComparer.Ordinal)
        {
            ["Content-Type"] = ["application/json"],
            ["retry-after"] = ["4", "9"],
        };
        Assert.Equal(TimeSpan.FromSeconds(4), ApiErrorClassifier.RetryAfter(headers, Now));
        Assert.Null(ApiErrorClassifier.RetryAfter(new Dictionary<string, IEnumerable<string>>(), Now));
        Assert.Null(ApiErrorClassifier.RetryAfter((IEnumerable<KeyValuePair<string, IEnumerable<string>>>?)null, Now));
    }

    [Fact]
    public void A_429_status_is_too_many_requests_and_the_header_wins_over_the_body()
    {
        var fromBody = ApiErrorClassifier.FromResponse(429, ThrottledBody);
        Assert.Equal(ApiErrorKind.TooManyRequests, fromBody.Kind);
        Assert.Equal(429, fromBody.Code);
        Assert.Equal("TooManyRequests", fromBody.Reason);
        Assert.Equal("Too many requests, please try again later.", fromBody.Message);
        Assert.Equal(TimeSpan.FromSeconds(3), fromBody.RetryAfter);

        Assert.Equal(TimeSpan.FromSeconds(8), ApiErrorClassifier.FromResponse(429, ThrottledBody, TimeSpan.FromSeconds(8)).RetryAfter);

        // A plain-text 429 (as max-in-flight writes it) is still throttling; no wait said, none assumed.
        var plain = ApiErrorClassifier.FromResponse(429, "Too many requests, please try again later.\n");
        Assert.Equal(ApiErrorKind.TooManyRequests, plain.Kind);
        Assert.Null(plain.RetryAfter);

        // 0 means "not said" (the API server omits it).
        Assert.Null(ApiErrorClassifier.FromResponse(500, """{"kind":"Status","code":500,"details":{"retryAfterSeconds":0}}""").RetryAfter);
    }

    [Fact]
    public void A_watch_error_status_carries_its_wait()
    {
        using var document = JsonDocument.Parse(
            """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"Timeout: Too large resource version: 9, current: 5","reason":"Timeout","details":{"retryAfterSeconds":1},"code":504}""");
        var error = ApiErrorClassifier.FromStatus(document.RootElement);
        Assert.Equal(ApiErrorKind.Timeout, error.Kind);
        Assert.Equal(TimeSpan.FromSeconds(1), error.RetryAfter);
    }

    [Fact]
    public void The_typed_response_and_kubernetes_clients_exception_give_the_header()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(6));
        var time = new FakeTimeProvider(Now);
        var typed = ApiErrorClassifier.FromResponse(response, "", time);
        Assert.Equal(ApiErrorKind.ServerError, typed.Kind);
        Assert.Equal(TimeSpan.FromSeconds(6), typed.RetryAfter);

        using var throttled = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        throttled.Headers.RetryAfter = new RetryConditionHeaderValue(Now.AddSeconds(20));
        var exception = new HttpOperationException("throttled") { Response = new HttpResponseMessageWrapper(throttled, ThrottledBody) };
        var classified = ApiErrorClassifier.Classify(exception, time);
        Assert.Equal(ApiErrorKind.TooManyRequests, classified.Kind);
        Assert.Equal(TimeSpan.FromSeconds(20), classified.RetryAfter);
    }

    [Fact]
    public void The_wait_is_at_least_the_servers_plus_jitter_and_capped()
    {
        var backoff = TimeSpan.FromMilliseconds(200);
        var maxBackoff = TimeSpan.FromSeconds(30);
        Assert.Equal(TimeSpan.FromSeconds(2), JobListWatcher.HonourRetryAfter(backoff, TimeSpan.FromSeconds(2), maxBackoff, 0));
        Assert.Equal(TimeSpan.FromSeconds(2.4), JobListWatcher.HonourRetryAfter(backoff, TimeSpan.FromSeconds(2), maxBackoff, 1));

        // A backoff already longer than the server's wait stays.
        Assert.Equal(TimeSpan.FromSeconds(10), JobListWatcher.HonourRetryAfter(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1), maxBackoff, 1));

        // A bogus hour-long wait is capped at 5 minutes (+ jitter), or at the max backoff when that is longer.
        Assert.Equal(TimeSpan.FromMinutes(5), JobListWatcher.HonourRetryAfter(backoff, TimeSpan.FromHours(3), maxBackoff, 0));
        Assert.Equal(TimeSpan.FromMinutes(6), JobListWatcher.HonourRetryAfter(backoff, TimeSpan.FromHours(3), maxBackoff, 1));
        Assert.Equal(TimeSpan.FromMinutes(10), JobListWatcher.HonourRetryAfter(backoff, TimeSpan.FromHours(3), TimeSpan.FromMinutes(10), 0));
    }

    [Fact]
    public async Task A_throttled_cache_shows_the_servers_wait_turns_stale_and_goes_live_once_the_throttling_stops()
    {
        var time = new FakeTimeProvider(Now);
        var options = TestService.FastOptions();
        options.BatchInterval = TimeSpan.Zero;
        options.InitialBackoff = TimeSpan.FromSeconds(1);
        options.MaxBackoff = TimeSpan.FromSeconds(4);
        options.StaleAfter = TimeSpan.FromSeconds(10);
        await using var test = await TestService.StartAsync(TestService.QuietEmulator("team-a"), options, time);
        test.Emulator.Store.Create(Jobs.Create("team-a", "kept"));
        await using var state = new SubscriberState(await test.Service.SubscribeAsync("team-a", null, CancellationToken.None));
        await Wait.UntilAsync(() => state.Sync.Phase == SyncPhase.Live, "the cache is live");
        await Wait.UntilAsync(async () => EmulatorControl.Count(await test.Control.StatsAsync(), "watchesOpenNow", "team-a") == 1, "the watch is open");

        // The watch is cut after its next event and every request after that is throttled for 7 s: longer than any backoff here.
        await test.Control.SetFaultsAsync(new FaultSettings(FailRate: 1.0, CutWatchAfter: 1, FailStatus: 429, RetryAfterSeconds: 7));
        time.Advance(BatchGap);
        var cutAt = time.GetUtcNow();
        test.Emulator.Store.Create(Jobs.Create("team-a", "cut"));
        await Wait.UntilAsync(() => state.ResourceVersions().Count == 2, "the last event arrived");

        // The clock stays put until the first throttled attempt is reported: the re-watch that gets the 429 races with
        // the event's delivery, and a clock moved in between would make its announced wait look short by that much.
        var attempts = 0;
        while (true)
        {
            var expected = attempts + 1;
            await Wait.UntilAsync(() => state.Sync.Attempt == expected && state.Sync.Error is not null, $"throttled attempt {expected} is reported");
            attempts = expected;
            var status = state.Sync;
            Assert.Equal(ApiErrorKind.TooManyRequests, status.Error!.Kind);
            Assert.Equal(429, status.Error.Code);
            Assert.Equal("TooManyRequests", status.Error.Reason);
            Assert.Equal(TimeSpan.FromSeconds(7), status.Error.RetryAfter);
            var delay = status.NextAttemptAt!.Value - time.GetUtcNow();
            Assert.InRange(delay.TotalSeconds, 7, 7 * 1.2);
            if (status.Phase == SyncPhase.Stale)
            {
                Assert.True(time.GetUtcNow() - cutAt >= options.StaleAfter, "stale came too early");
                Assert.InRange(status.StaleSince!.Value, cutAt, cutAt + BatchGap);
                break;
            }

            Assert.Equal(SyncPhase.Reconnecting, status.Phase);
            Assert.True(attempts < 5, "never turned stale");
            time.Advance(delay + BatchGap);
        }

        // Just short of the announced time nothing has retried; the throttling stops before the retry comes.
        var nextAt = state.Sync.NextAttemptAt!.Value;
        time.Advance(nextAt - time.GetUtcNow() - TimeSpan.FromMilliseconds(50));
        await test.Control.ClearFaultsAsync();
        time.Advance(TimeSpan.FromMilliseconds(50) + BatchGap);
        await Wait.UntilAsync(() => state.Sync.Phase == SyncPhase.Live, "the cache goes live by itself");
        Assert.Null(state.Sync.Error);

        // Every failure was one throttled request: a retry before its time would have been throttled once more.
        var cache = Assert.Single(test.Service.Caches.Caches.Values);
        Assert.Equal(attempts, cache.Counters.Failures);
        Assert.Equal(attempts, (await test.Control.StatsAsync()).GetProperty("faultsServed").GetInt64());
        Assert.Equal(1, cache.Counters.ListsStarted);

        time.Advance(BatchGap);
        test.Emulator.Store.Create(Jobs.Create("team-a", "after"));
        await Wait.UntilAsync(() => state.ResourceVersions().Count == 3, "changes flow again");
        Assert.Equal(test.EmulatorState("team-a"), state.ResourceVersions());
    }

    [Fact]
    public async Task A_list_throttled_mid_paging_resumes_at_the_refused_page()
    {
        const int JobCount = 60;
        const int PageSize = 5;
        var latency = new FaultSettings(LatencyMs: 150);
        await using var test = await TestService.StartAsync(TestService.QuietEmulator("team-a") with { Faults = latency }, TestService.FastOptions(pageSize: PageSize));
        for (var i = 0; i < JobCount; i++)
        {
            test.Emulator.Store.Create(Jobs.Create("team-a", $"job-{i:00}"));
        }

        await using var state = new SubscriberState(await test.Service.SubscribeAsync("team-a", null, CancellationToken.None));
        await Wait.UntilAsync(() => state.ResourceVersions().Count >= PageSize, "the first page arrived");

        var throttledFrom = DateTimeOffset.UtcNow;
        await test.Control.SetFaultsAsync(latency with { FailRate = 1.0, FailStatus = 429, RetryAfterSeconds = 1 });
        await Wait.UntilAsync(() => state.Sync.Error?.Kind == ApiErrorKind.TooManyRequests, "the throttling is reported");
        var throttled = state.Sync;
        var loadedWhenThrottled = state.ResourceVersions().Count;
        Assert.Equal(SyncPhase.Reconnecting, throttled.Phase);
        Assert.Equal(TimeSpan.FromSeconds(1), throttled.Error!.RetryAfter);
        Assert.True(throttled.NextAttemptAt >= throttledFrom + TimeSpan.FromSeconds(1), $"next attempt {throttled.NextAttemptAt:O} is less than 1 s after {throttledFrom:O}");
        Assert.True(throttled.NextAttemptAt <= DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1.2), "the wait is longer than Retry-After plus jitter");
        Assert.InRange(loadedWhenThrottled, PageSize, JobCount - PageSize);

        await test.Control.ClearFaultsAsync();
        await Wait.UntilAsync(() => state.Sync.Phase == SyncPhase.Live && state.ResourceVersions().Count == JobCount, "the list completes and the cache is live");
        Assert.Equal(test.EmulatorState("team-a"), state.ResourceVersions());
        Assert.Empty(state.Errors);

        // One list, each page served exactly once (a throttled request serves no page): no restart from page 1.
        var cache = Assert.Single(test.Service.Caches.Caches.Values);
        Assert.Equal(1, cache.Counters.ListsStarted);
        var stats = await test.Control.StatsAsync();
        Assert.Equal(JobCount / PageSize, EmulatorControl.Count(stats, "listPagesByNamespace", "team-a"));
        Assert.True(stats.GetProperty("faultsServed").GetInt64() >= 1, "no request was throttled");
    }

    [Fact]
    public async Task A_503_with_retry_after_is_a_server_error_that_waits_as_asked()
    {
        await using var test = await TestService.StartAsync(
            TestService.QuietEmulator("team-a") with { Faults = new FaultSettings(FailRate: 1.0, FailStatus: 503, RetryAfterSeconds: 2) });
        var before = DateTimeOffset.UtcNow;
        await using var state = new SubscriberState(await test.Service.SubscribeAsync("team-a", null, CancellationToken.None));

        await Wait.UntilAsync(() => state.Sync.Error is not null, "the failure is reported");
        var status = state.Sync;
        Assert.Equal(SyncPhase.Reconnecting, status.Phase);
        Assert.Equal(ApiErrorKind.ServerError, status.Error!.Kind);
        Assert.Equal(503, status.Error.Code);
        Assert.Equal("ServiceUnavailable", status.Error.Reason);
        Assert.Equal(TimeSpan.FromSeconds(2), status.Error.RetryAfter);
        Assert.True(status.NextAttemptAt >= before + TimeSpan.FromSeconds(2), "the next attempt comes before the server's Retry-After");

        await test.Control.ClearFaultsAsync();
        await Wait.UntilAsync(() => state.Sync.Phase == SyncPhase.Live, "the cache goes live once the server recovers");
    }
}
