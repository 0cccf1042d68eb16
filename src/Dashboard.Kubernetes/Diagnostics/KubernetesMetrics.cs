using System.Diagnostics.Metrics;
using Dashboard.Kubernetes.Cache;
using Dashboard.Kubernetes.Query;

namespace Dashboard.Kubernetes.Diagnostics;

/// <summary>
/// The query service's instruments on the "Dashboard.Kubernetes" meter (exported at /metrics). Counters on
/// the hot path take pre-built tags, so recording allocates nothing; sizes are observed only when scraped.
/// </summary>
public sealed class KubernetesMetrics : IDisposable
{
    public const string MeterName = "Dashboard.Kubernetes";

    /// <summary>The namespace tag of the all-namespaces cache (as in the emulator's stats).</summary>
    public const string AllNamespaces = "*";

    private static readonly KeyValuePair<string, object?> Added = new("type", "added");
    private static readonly KeyValuePair<string, object?> Modified = new("type", "modified");
    private static readonly KeyValuePair<string, object?> Deleted = new("type", "deleted");

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Histogram<double> _listDuration;
    private readonly Counter<long> _listPages;
    private readonly Counter<long> _watchRestarts;
    private readonly Counter<long> _eventsApplied;
    private Func<IReadOnlyDictionary<string, JobCache>>? _caches;

    /// <param name="meterFactory">The app's factory; null makes a meter of its own (tests, tools).</param>
    public KubernetesMetrics(IMeterFactory? meterFactory = null)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _listDuration = _meter.CreateHistogram<double>(
            "dashboard.kubernetes.list.duration", "s", "Time to page in one complete LIST of PyTorchJobs.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });
        _listPages = _meter.CreateCounter<long>("dashboard.kubernetes.list.pages", "{page}", "LIST pages received.");
        _watchRestarts = _meter.CreateCounter<long>(
            "dashboard.kubernetes.watch.restarts", "{restart}", "Times the list/watch loop started over, by reason (closed, expired, or the error kind).");
        _eventsApplied = _meter.CreateCounter<long>("dashboard.kubernetes.events.applied", "{event}", "Watch events applied to the cache, by type.");
        _meter.CreateObservableGauge("dashboard.kubernetes.cache.jobs", ObserveJobs, "{job}", "Jobs held by each namespace cache.");
        _meter.CreateObservableGauge("dashboard.kubernetes.subscribers", ObserveSubscribers, "{subscriber}", "Live subscriptions (views, hub streams, API calls) per namespace cache.");
        _meter.CreateObservableGauge("dashboard.kubernetes.cache.live", ObserveLive, "1", "1 when a namespace cache is listed and watching, else 0.");
    }

    public Meter Meter => _meter;

    public static KeyValuePair<string, object?> NamespaceTag(string namespaceKey) =>
        new("namespace", namespaceKey.Length == 0 ? AllNamespaces : namespaceKey);

    /// <summary>Where the observable gauges read the caches from (the query service's registry).</summary>
    internal void Observe(Func<IReadOnlyDictionary<string, JobCache>> caches) => _caches = caches;

    internal void ListCompleted(KeyValuePair<string, object?> @namespace, TimeSpan duration) =>
        _listDuration.Record(duration.TotalSeconds, @namespace);

    internal void ListPage(KeyValuePair<string, object?> @namespace) => _listPages.Add(1, @namespace);

    internal void WatchRestarted(KeyValuePair<string, object?> @namespace, string reason) =>
        _watchRestarts.Add(1, @namespace, new KeyValuePair<string, object?>("reason", reason));

    internal void EventApplied(KeyValuePair<string, object?> @namespace, string type)
    {
        if (!_eventsApplied.Enabled)
        {
            return;
        }

        var tag = type switch
        {
            "ADDED" => Added,
            "MODIFIED" => Modified,
            _ => Deleted,
        };
        _eventsApplied.Add(1, @namespace, tag);
    }

    /// <summary>The reason tag of a restart after a failure: the error kind in snake case (a handful of values).</summary>
    public static string RestartReason(ApiError error) => error.Kind switch
    {
        _ when error.Code == 410 => "expired",
        ApiErrorKind.Unauthorized => "unauthorized",
        ApiErrorKind.Forbidden => "forbidden",
        ApiErrorKind.CrdNotInstalled => "crd_not_installed",
        ApiErrorKind.ServerError => "server_error",
        ApiErrorKind.Timeout => error.Reason == "Timeout" && error.Message.StartsWith("The watch sent nothing", StringComparison.Ordinal) ? "idle" : "timeout",
        ApiErrorKind.Network => "network",
        ApiErrorKind.TooManyRequests => "too_many_requests",
        _ => "other",
    };

    private IEnumerable<Measurement<int>> ObserveJobs() =>
        Caches().Select(c => new Measurement<int>(c.Value.Count, NamespaceTag(c.Key)));

    private IEnumerable<Measurement<int>> ObserveSubscribers() =>
        Caches().Select(c => new Measurement<int>(c.Value.SubscriberCount, NamespaceTag(c.Key)));

    private IEnumerable<Measurement<int>> ObserveLive() =>
        Caches().Select(c => new Measurement<int>(c.Value.Sync.Phase == SyncPhase.Live ? 1 : 0, NamespaceTag(c.Key)));

    private IReadOnlyDictionary<string, JobCache> Caches() =>
        _caches?.Invoke() ?? new Dictionary<string, JobCache>();

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
