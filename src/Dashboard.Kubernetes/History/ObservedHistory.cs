using Dashboard.Kubernetes.Query;
using Dashboard.Model.PyTorchJobs;

namespace Dashboard.Kubernetes.History;

/// <summary>
/// A job's status keeps only the newest condition of each type, so Running → Restarting → Running shows
/// once. The cache compares every version it sees with the previous one and records each transition here.
/// </summary>
public static class ObservedHistory
{
    /// <summary>What the cache knew when it first saw the job: its conditions and replica counts.</summary>
    public static ObservedChange[] Seed(JobStatusView view, string resourceVersion, DateTimeOffset firstSeenAt, int limit)
    {
        var entries = new List<ObservedChange>(view.Conditions.Count + view.Replicas.Count);
        foreach (var condition in view.Conditions)
        {
            entries.Add(new ObservedChange(firstSeenAt, ObservedChangeKind.Condition, resourceVersion, Condition: condition));
        }

        foreach (var (type, counts) in view.Replicas)
        {
            entries.Add(new ObservedChange(firstSeenAt, ObservedChangeKind.Replicas, resourceVersion, ReplicaType: type, Replicas: counts));
        }

        return Trim(entries, limit);
    }

    /// <summary>The transitions between two versions of a job, appended to <paramref name="history"/> (a new array; bounded).</summary>
    public static ObservedChange[] Append(
        ObservedChange[] history, JobStatusView previous, JobStatusView current, string resourceVersion, DateTimeOffset observedAt, int limit)
    {
        List<ObservedChange>? added = null;
        foreach (var condition in current.Conditions)
        {
            var before = previous.Conditions.FirstOrDefault(c => c.Type == condition.Type);
            if (before is null || !SameCondition(before, condition))
            {
                (added ??= []).Add(new ObservedChange(observedAt, ObservedChangeKind.Condition, resourceVersion, Condition: condition));
            }
        }

        foreach (var (type, counts) in current.Replicas)
        {
            var before = previous.Replicas.FirstOrDefault(r => r.Key == type).Value;
            if (before != counts)
            {
                (added ??= []).Add(new ObservedChange(observedAt, ObservedChangeKind.Replicas, resourceVersion, ReplicaType: type, Replicas: counts));
            }
        }

        if (added is null)
        {
            return history;
        }

        return Trim([.. history, .. added], limit);
    }

    public static ObservedChange[] AppendDeleted(ObservedChange[] history, string resourceVersion, DateTimeOffset observedAt, int limit) =>
        Trim([.. history, new ObservedChange(observedAt, ObservedChangeKind.Deleted, resourceVersion)], limit);

    private static bool SameCondition(JobCondition a, JobCondition b) =>
        a.Status == b.Status && a.Reason == b.Reason && a.Message == b.Message && a.LastTransitionTime == b.LastTransitionTime;

    private static ObservedChange[] Trim(IReadOnlyList<ObservedChange> entries, int limit) =>
        entries.Count <= limit ? [.. entries] : [.. entries.Skip(entries.Count - limit)];
}
