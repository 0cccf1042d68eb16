using Dashboard.Kubernetes.Query;

namespace Dashboard.Kubernetes.Sync;

/// <summary>One job as the cache keeps it: its compact JSON and its summary.</summary>
public sealed record JobEntry(JobSummary Summary, byte[] Json)
{
    public string Key => Summary.Key;
}

/// <summary>Where the list/watch loop delivers what it reads (the job cache).</summary>
public interface IJobSyncTarget
{
    /// <summary>A LIST sequence starts; the cache remembers which keys it sees, to delete the others at the end.</summary>
    void OnListStarted();

    void OnListPage(IReadOnlyList<JobEntry> jobs, string resourceVersion, SyncStatus status);

    /// <summary>The LIST is complete: jobs not seen in it are gone.</summary>
    void OnListCompleted(string resourceVersion, SyncStatus status);

    void OnUpsert(JobEntry job);

    void OnDelete(JobEntry job);

    /// <summary>A bookmark moved the resourceVersion without a change.</summary>
    void OnResourceVersion(string resourceVersion);

    void OnStatus(SyncStatus status);
}
