using Dashboard.Kubernetes.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dashboard.Kubernetes.Query;

/// <summary>
/// What /readyz reports: ready once every default cache has listed once; a cache failing after that keeps the
/// app ready (it serves the last known jobs) and is named in the reason.
/// </summary>
public sealed record ReadinessReport(bool Ready, string Reason, IReadOnlyDictionary<string, SyncStatus> Caches);

/// <summary>
/// Keeps the default caches (Kubernetes:Namespaces, or all namespaces) subscribed for the app's lifetime,
/// so the first viewer gets a warm cache, and tracks their sync state for readiness.
/// </summary>
public sealed class JobQueryReadiness(IJobQueryService queries, IOptions<KubernetesOptions> options, ILogger<JobQueryReadiness> logger) : IHostedService
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SyncStatus> _statuses = new(StringComparer.Ordinal);
    // Never disposed: the host may call StopAsync more than once (WebApplicationFactory and app.Run both stop it),
    // and a source with no timer holds nothing that needs disposing.
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _watchers = [];
    private bool _started;

    public IReadOnlyList<string> NamespaceKeys { get; } = options.Value.Namespaces.Count > 0 ? [.. options.Value.Namespaces] : [""];

    public ReadinessReport GetReport()
    {
        lock (_gate)
        {
            if (!_started)
            {
                return new ReadinessReport(false, "starting", new Dictionary<string, SyncStatus>());
            }

            var caches = new Dictionary<string, SyncStatus>(_statuses, StringComparer.Ordinal);
            var degraded = new List<string>();
            foreach (var key in NamespaceKeys)
            {
                var label = key.Length == 0 ? "all namespaces" : $"namespace '{key}'";
                if (!caches.TryGetValue(key, out var status))
                {
                    return new ReadinessReport(false, $"{label}: not subscribed yet", caches);
                }

                if (status.Phase == SyncPhase.Live)
                {
                    continue;
                }

                var reason = status.Error is { } error
                    ? $"{label}: {status.Phase} ({error.Kind}{(error.Code is { } code ? " " + code : "")}: {error.Message})"
                    : status.Phase == SyncPhase.Syncing
                        ? $"{label}: Syncing ({status.ItemsLoaded} of ~{status.ItemsEstimated?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"})"
                        : $"{label}: {status.Phase}";

                // Once listed, a cache serves its last known jobs (marked stale) through an API outage: taking every
                // replica out of the Service then would hide exactly what the dashboard still knows.
                if (status.LastSyncedAt is null)
                {
                    return new ReadinessReport(false, reason, caches);
                }

                degraded.Add(reason);
            }

            return new ReadinessReport(true, degraded.Count == 0 ? "ready" : "ready, serving the last known jobs: " + string.Join("; ", degraded), caches);
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var key in NamespaceKeys)
        {
            var subscription = await queries.SubscribeAsync(key, null, cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                _statuses[key] = subscription.Snapshot.Sync;
                _watchers.Add(FollowAsync(key, subscription, _stopping.Token));
            }
        }

        lock (_gate)
        {
            _started = true;
        }
    }

    private async Task FollowAsync(string key, JobSubscription subscription, CancellationToken cancellationToken)
    {
        await using var _ = subscription.ConfigureAwait(false);
        try
        {
            await foreach (var batch in subscription.Changes.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                lock (_gate)
                {
                    _statuses[key] = batch.Sync;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "Following the sync state of '{Namespace}' failed", key);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        Task[] watchers;
        lock (_gate)
        {
            watchers = [.. _watchers];
        }

        await Task.WhenAll(watchers).WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
