using Dashboard.Kubernetes.Query;

namespace Dashboard.Kubernetes.Configuration;

/// <summary>The "Kubernetes" configuration section.</summary>
public sealed class KubernetesOptions
{
    public const string SectionName = "Kubernetes";

    public ConnectionMode Mode { get; set; } = ConnectionMode.Auto;

    /// <summary>Kubeconfig file for KubeConfig mode (and Auto); empty = KUBECONFIG or ~/.kube/config.</summary>
    public string? KubeConfigPath { get; set; }

    /// <summary>Kubeconfig context; empty = the file's current context.</summary>
    public string? Context { get; set; }

    /// <summary>Folder of the mounted service account (token, ca.crt, namespace) for InCluster mode (and Auto).</summary>
    public string ServiceAccountPath { get; set; } = DefaultServiceAccountPath;

    public const string DefaultServiceAccountPath = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>Namespaces offered when the identity may not list namespaces; also the caches kept warm for readiness.</summary>
    public List<string> Namespaces { get; set; } = [];

    /// <summary>Items per LIST page (limit).</summary>
    public int PageSize { get; set; } = 500;

    /// <summary>timeoutSeconds of each WATCH; the server ends the stream then and we re-watch.</summary>
    public int WatchTimeoutSeconds { get; set; } = 290;

    /// <summary>A watch silent for longer than its timeout plus this margin is treated as dead.</summary>
    public int WatchIdleMarginSeconds { get; set; } = 30;

    /// <summary>How long a LIST page request may take.</summary>
    public int RequestTimeoutSeconds { get; set; } = 60;

    /// <summary>
    /// Most caches (each one LIST + one WATCH on the API server) running at once, the all-namespaces one included.
    /// Idle caches make way for new ones; past that, views of further namespaces are refused with a clear message.
    /// </summary>
    public int MaxCaches { get; set; } = 100;

    /// <summary>How long a cache keeps running after its last subscriber left.</summary>
    public TimeSpan CacheGracePeriod { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(0.5);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retry interval while the API refuses (401/403/404): it will not heal by itself quickly.</summary>
    public TimeSpan ErrorRetryInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Failing for this long turns Reconnecting into Stale.</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the JSON API waits for a cold cache's first sync.</summary>
    public TimeSpan FirstSyncWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a namespace listing from the API is reused.</summary>
    public TimeSpan NamespaceListCacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Minimum time between two change batches to one subscriber (one batch = one render).</summary>
    public TimeSpan BatchInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Observed history entries kept per job.</summary>
    public int HistoryLimit { get; set; } = 200;
}
