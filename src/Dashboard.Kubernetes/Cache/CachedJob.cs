using Dashboard.Kubernetes.History;
using Dashboard.Kubernetes.Query;
using Dashboard.Model.PyTorchJobs;
using k8s;

namespace Dashboard.Kubernetes.Cache;

/// <summary>
/// One job as the cache keeps it: its compact UTF-8 JSON (the only full copy) and its summary with shared
/// strings. Immutable: a change replaces the whole entry, so readers never see half an update.
/// </summary>
public sealed record CachedJob(JobSummary Summary, byte[] Json, DateTimeOffset FirstSeenAt, ObservedChange[]? History)
{
    public string Key => Summary.Key;

    /// <summary>The full object, deserialized on demand (one job at a time, for the detail view).</summary>
    public PyTorchJob ToJob()
    {
        using var stream = new MemoryStream(Json, writable: false);
        return KubernetesJson.Deserialize<PyTorchJob>(stream);
    }

    /// <summary>The observed history; before the first change that is what the job showed when first seen.</summary>
    public IReadOnlyList<ObservedChange> HistoryOrSeed(int limit) =>
        History ?? ObservedHistory.Seed(JobStatusView.From(Json), Summary.ResourceVersion, FirstSeenAt, limit);

    public JobDetail ToDetail(int historyLimit, bool deleted = false, IReadOnlyList<ObservedChange>? history = null) =>
        new(ToJob(), Summary, history ?? HistoryOrSeed(historyLimit), deleted) { Json = Json };
}
