using Bunit;
using Dashboard.Components.Controls;
using Dashboard.Kubernetes.Query;

namespace Dashboard.Tests.Components;

public sealed class SyncBannerTests : DashboardTestContext
{
    private IRenderedComponent<SyncBanner> RenderBanner(SyncStatus sync, string? @namespace = "team-a") =>
        Render<SyncBanner>(ps => ps.Add(p => p.Sync, sync).Add(p => p.Namespace, @namespace).Add(p => p.Now, TestJobs.Now));

    [Fact]
    public void Syncing_shows_n_of_about_m_with_a_progress_bar()
    {
        var cut = RenderBanner(new SyncStatus(SyncPhase.Syncing, ItemsLoaded: 500, ItemsEstimated: 10_000));

        Assert.Equal("Syncing", cut.Find("[data-testid=sync-banner]").GetAttribute("data-phase"));
        Assert.Equal("Syncing 500 of ~10000", cut.Find("[data-testid=sync-title]").TextContent);
        Assert.Equal("5", cut.Find("[data-testid=sync-progress][role=progressbar]").GetAttribute("aria-valuenow"));
    }

    [Fact]
    public void Syncing_without_an_estimate_is_indeterminate()
    {
        var cut = RenderBanner(new SyncStatus(SyncPhase.Syncing, ItemsLoaded: 12));

        Assert.Equal("Syncing 12 jobs", cut.Find("[data-testid=sync-title]").TextContent);
        Assert.NotNull(cut.Find("[data-testid=sync-progress]"));
    }

    [Fact]
    public void Live()
    {
        var cut = RenderBanner(new SyncStatus(SyncPhase.Live, LastSyncedAt: TestJobs.Now.AddSeconds(-30)));

        Assert.Equal("Live", cut.Find("[data-testid=sync-title]").TextContent);
        Assert.Equal("Watching for changes, in sync since " + Model.TimeFormat.Absolute(TestJobs.Now.AddSeconds(-30)), cut.Find("[data-testid=sync-detail]").TextContent);
        Assert.Equal("status", cut.Find("[data-testid=sync-banner]").GetAttribute("role"));
        Assert.Empty(cut.FindAll("[data-testid=sync-progress]"));
    }

    [Fact]
    public void Reconnecting_shows_the_attempt_and_the_next_try()
    {
        var cut = RenderBanner(new SyncStatus(
            SyncPhase.Reconnecting,
            Attempt: 3,
            NextAttemptAt: TestJobs.Now.AddSeconds(8),
            Error: new ApiError(ApiErrorKind.ServerError, 500, "InternalError", "etcd is down")));

        Assert.Equal("Reconnecting (attempt 3, next try in 8s)", cut.Find("[data-testid=sync-title]").TextContent);
        Assert.Equal("InternalError: etcd is down", cut.Find("[data-testid=sync-detail]").TextContent);
    }

    [Fact]
    public void Throttling_says_so_with_the_wait_the_server_asked_for()
    {
        var cut = RenderBanner(new SyncStatus(
            SyncPhase.Reconnecting,
            Attempt: 2,
            NextAttemptAt: TestJobs.Now.AddSeconds(7),
            Error: new ApiError(ApiErrorKind.TooManyRequests, 429, "TooManyRequests", "Too many requests, please try again later.") { RetryAfter = TimeSpan.FromSeconds(7) }));

        Assert.Equal("The API server is throttling requests (attempt 2, next try in 7s)", cut.Find("[data-testid=sync-title]").TextContent);
        Assert.Equal("TooManyRequests: Too many requests, please try again later.", cut.Find("[data-testid=sync-detail]").TextContent);
    }

    [Fact]
    public void Stale_says_since_when_and_why()
    {
        var cut = RenderBanner(new SyncStatus(
            SyncPhase.Stale,
            Attempt: 9,
            StaleSince: TestJobs.Now.AddMinutes(-3),
            Error: new ApiError(ApiErrorKind.Network, null, null, "Connection refused (127.0.0.1:8001)")));

        Assert.StartsWith("Stale since 2026-11-27 11:57:00 UTC (3m ago)", cut.Find("[data-testid=sync-title]").TextContent, StringComparison.Ordinal);
        Assert.Equal("Connection refused (127.0.0.1:8001)", cut.Find("[data-testid=sync-detail]").TextContent);
    }

    [Theory]
    [InlineData(ApiErrorKind.Unauthorized, 401, "Unauthorized", "team-a", "The dashboard's credentials were rejected (401)")]
    [InlineData(ApiErrorKind.Forbidden, 403, "Forbidden", "team-a", "This identity may not list PyTorchJobs in team-a (403)")]
    [InlineData(ApiErrorKind.Forbidden, 403, "Forbidden", null, "This identity may not list PyTorchJobs in all namespaces (403)")]
    [InlineData(ApiErrorKind.CrdNotInstalled, 404, "NotFound", "team-a", "The PyTorchJob CRD is not installed on this cluster (404)")]
    [InlineData(ApiErrorKind.ServerError, 503, "ServiceUnavailable", "team-a", "The API server failed (503)")]
    [InlineData(ApiErrorKind.Timeout, null, null, "team-a", "The API server did not answer in time")]
    [InlineData(ApiErrorKind.Network, null, null, "team-a", "The API server cannot be reached")]
    [InlineData(ApiErrorKind.Other, 422, "Invalid", "team-a", "The API server refused the request (422)")]
    public void Errors_are_in_plain_words_with_the_apis_reason(ApiErrorKind kind, int? code, string? reason, string? @namespace, string title)
    {
        var message = "the API's own message";
        var cut = RenderBanner(new SyncStatus(SyncPhase.Error, Error: new ApiError(kind, code, reason, message)), @namespace);

        var banner = cut.Find("[data-testid=sync-banner]");
        Assert.Equal("Error", banner.GetAttribute("data-phase"));
        Assert.Equal(kind.ToString(), banner.GetAttribute("data-error-kind"));
        Assert.Equal("alert", banner.GetAttribute("role"));
        Assert.Equal(title, cut.Find("[data-testid=sync-title]").TextContent);
        Assert.Contains(message, cut.Find("[data-testid=sync-detail]").TextContent, StringComparison.Ordinal);
    }
}
