using System.Globalization;
using Dashboard.Kubernetes.Query;

namespace Dashboard.Model;

public enum BannerSeverity
{
    Info,
    Success,
    Warning,
    Error,
}

/// <summary>The sync banner's words for one <see cref="SyncStatus"/>: a headline, the API's own reason, and a progress fraction.</summary>
public sealed record SyncDescription(string Title, string? Detail, BannerSeverity Severity, double? Progress)
{
    public static SyncDescription From(SyncStatus sync, string? @namespace, DateTimeOffset now)
    {
        var inv = CultureInfo.InvariantCulture;
        var apiReason = sync.Error is { } e ? ApiReason(e) : null;
        return sync.Phase switch
        {
            SyncPhase.Syncing => new SyncDescription(
                sync.ItemsEstimated is { } estimate
                    ? string.Create(inv, $"Syncing {sync.ItemsLoaded} of ~{estimate}")
                    : string.Create(inv, $"Syncing {sync.ItemsLoaded} jobs"),
                null,
                BannerSeverity.Info,
                sync.ItemsEstimated is > 0 and var total ? Math.Clamp((double)sync.ItemsLoaded / total, 0, 1) : null),
            // "In sync since" a clock time, not "synced 2m ago": a live watch keeps the view current all along.
            SyncPhase.Live => new SyncDescription("Live", sync.LastSyncedAt is { } synced ? "Watching for changes, in sync since " + TimeFormat.Absolute(synced) : "Watching for changes", BannerSeverity.Success, null),
            SyncPhase.Reconnecting => new SyncDescription(
                // Throttling is not a broken connection: say so, with the wait the server asked for behind "next try".
                (sync.Error is { Kind: ApiErrorKind.TooManyRequests } ? "The API server is throttling requests" : "Reconnecting")
                    + string.Create(inv, $" (attempt {sync.Attempt}") + (sync.NextAttemptAt is { } next ? ", next try " + TimeFormat.Relative(next, now) : "") + ")",
                apiReason,
                BannerSeverity.Warning,
                null),
            SyncPhase.Stale => new SyncDescription(
                "Stale since " + (sync.StaleSince is { } since ? TimeFormat.Absolute(since) + " (" + TimeFormat.Relative(since, now) + ")" : "a while") + " — showing the last known jobs",
                apiReason,
                BannerSeverity.Warning,
                null),
            _ => new SyncDescription(sync.Error is { } error ? ErrorTitle(error, @namespace) : "The API refused the request", apiReason, BannerSeverity.Error, null),
        };
    }

    public static string ErrorTitle(ApiError error, string? @namespace) => error.Kind switch
    {
        ApiErrorKind.Unauthorized => "The dashboard's credentials were rejected (401)",
        ApiErrorKind.Forbidden => $"This identity may not list PyTorchJobs in {(string.IsNullOrEmpty(@namespace) ? "all namespaces" : @namespace)} (403)",
        ApiErrorKind.CrdNotInstalled => "The PyTorchJob CRD is not installed on this cluster (404)",
        ApiErrorKind.ServerError => "The API server failed" + CodeSuffix(error),
        ApiErrorKind.Timeout => "The API server did not answer in time",
        ApiErrorKind.Network => "The API server cannot be reached",
        ApiErrorKind.TooManyRequests => "The API server is throttling requests" + CodeSuffix(error),
        _ => "The API server refused the request" + CodeSuffix(error),
    };

    private static string CodeSuffix(ApiError error) => error.Code is { } code ? string.Create(CultureInfo.InvariantCulture, $" ({code})") : "";

    private static string ApiReason(ApiError error) =>
        string.IsNullOrEmpty(error.Reason) ? error.Message : $"{error.Reason}: {error.Message}";
}
