using Dashboard.Model.PyTorchJobs;

namespace Dashboard.Kubernetes.Query;

/// <summary>The jobs a subscriber sees at subscription time (possibly partial while <see cref="SyncStatus.Phase"/> is Syncing).</summary>
public sealed record JobSnapshot(
    string? Namespace,
    string? LabelSelector,
    string ResourceVersion,
    SyncStatus Sync,
    IReadOnlyList<JobSummary> Jobs);

/// <summary>Changes since the previous batch. Batches are at least ~100 ms apart, so one batch is one render.</summary>
public sealed record JobChangeBatch(
    IReadOnlyList<JobChange> Changes,
    string ResourceVersion,
    SyncStatus Sync);

public enum JobChangeKind
{
    Upsert,
    Delete,
}

/// <summary>An upsert carries the job's new summary; a delete only its key.</summary>
public readonly record struct JobChange(JobChangeKind Kind, string Namespace, string Name, JobSummary? Job)
{
    public static JobChange Upsert(JobSummary job) => new(JobChangeKind.Upsert, job.Namespace, job.Name, job);

    public static JobChange Delete(string @namespace, string name) => new(JobChangeKind.Delete, @namespace, name, null);
}

/// <summary>The state of a job, from its newest condition (the operator's printer column).</summary>
public enum JobState
{
    Unknown,
    Created,
    Running,
    Restarting,
    Succeeded,
    Failed,
    Suspended,
}

/// <summary>Desired replicas and the operator's counts for one replica type.</summary>
public sealed record ReplicaSummary(int Desired, int Active, int Succeeded, int Failed);

/// <summary>What the job grid shows of one job. Immutable; built in one place (JobSummaryMapper).</summary>
public sealed record JobSummary(
    string Namespace,
    string Name,
    string Uid,
    string ResourceVersion,
    DateTimeOffset? CreatedAt,
    IReadOnlyDictionary<string, string> Labels,
    JobState State,
    string? StateReason,
    string? StateMessage,
    DateTimeOffset? StartTime,
    DateTimeOffset? CompletionTime,
    ReplicaSummary? Master,
    ReplicaSummary? Worker,
    string? Image,
    bool Elastic)
{
    public string Key => Namespace + "/" + Name;

    /// <summary>Start to completion, or start to <paramref name="now"/> while the job is not finished.</summary>
    public TimeSpan? Duration(DateTimeOffset now) =>
        StartTime is { } start ? (CompletionTime ?? now) - start : null;
}

/// <summary>The full job plus what the cache observed happening to it.</summary>
public sealed record JobDetail(
    PyTorchJob Job,
    JobSummary Summary,
    IReadOnlyList<ObservedChange> History,
    bool Deleted)
{
    /// <summary>
    /// The object exactly as the API server sent it (minus managedFields), so the JSON API passes on fields the
    /// typed model does not know. Empty when the detail was built from a typed object only.
    /// </summary>
    public ReadOnlyMemory<byte> Json { get; init; }
}

public sealed record JobDetailUpdate(JobDetail? Detail, SyncStatus Sync);

public enum ObservedChangeKind
{
    /// <summary>A condition appeared or changed its status, reason or message.</summary>
    Condition,

    /// <summary>A replica type's desired/active/succeeded/failed counts changed.</summary>
    Replicas,

    /// <summary>The job was deleted.</summary>
    Deleted,
}

/// <summary>One observed transition of a job, in the order the cache saw them (bounded per job).</summary>
public sealed record ObservedChange(
    DateTimeOffset ObservedAt,
    ObservedChangeKind Kind,
    string ResourceVersion,
    JobCondition? Condition = null,
    string? ReplicaType = null,
    ReplicaSummary? Replicas = null);

public enum SyncPhase
{
    /// <summary>The first list is being paged in.</summary>
    Syncing,

    /// <summary>Listed and watching.</summary>
    Live,

    /// <summary>The watch or list failed; retrying with backoff. Jobs shown are the last known.</summary>
    Reconnecting,

    /// <summary>Retrying for long enough that the data is out of date.</summary>
    Stale,

    /// <summary>The API refuses (401, 403, 404 ...): retrying slowly, but it will not heal without a change elsewhere.</summary>
    Error,
}

public enum ApiErrorKind
{
    /// <summary>401: the dashboard's credentials were rejected.</summary>
    Unauthorized,

    /// <summary>403: RBAC forbids listing PyTorchJobs here.</summary>
    Forbidden,

    /// <summary>404 on the list path: the PyTorchJob CRD is not installed.</summary>
    CrdNotInstalled,

    /// <summary>5xx from the API server.</summary>
    ServerError,

    /// <summary>No answer in time, or the watch went quiet.</summary>
    Timeout,

    /// <summary>Connection refused, reset or DNS failure.</summary>
    Network,

    /// <summary>Anything else (400, 422 ...).</summary>
    Other,

    /// <summary>429: the API server is throttling (API Priority and Fairness); retried after the wait it asks for.</summary>
    TooManyRequests,
}

/// <summary>An API failure in the API's own words.</summary>
public sealed record ApiError(ApiErrorKind Kind, int? Code, string? Reason, string Message)
{
    /// <summary>
    /// How long the server asked the client to wait before retrying (Retry-After header, else the Status's
    /// details.retryAfterSeconds); null when it did not say.
    /// </summary>
    public TimeSpan? RetryAfter { get; init; }
}

/// <summary>The sync state of one cache, as given to its subscribers.</summary>
public sealed record SyncStatus(
    SyncPhase Phase,
    int ItemsLoaded = 0,
    int? ItemsEstimated = null,
    int Attempt = 0,
    DateTimeOffset? NextAttemptAt = null,
    DateTimeOffset? StaleSince = null,
    ApiError? Error = null,
    DateTimeOffset? LastSyncedAt = null);

public sealed record NamespaceListing(IReadOnlyList<string> Namespaces, bool FromApi, string? Note);

public enum ConnectionMode
{
    Auto,
    Emulator,
    KubeConfig,
    InCluster,
}

/// <summary>What the dashboard talks to: shown in the UI.</summary>
public sealed record ConnectionInfo(ConnectionMode Mode, string Server, string? Context, bool IsEmulator)
{
    public string Describe() => IsEmulator ? "Embedded emulator — demo data" : Context is null ? Server : $"{Context} ({Server})";
}
