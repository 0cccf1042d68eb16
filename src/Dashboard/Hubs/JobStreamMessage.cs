using System.Text.Json.Serialization;
using MessagePack;

namespace Dashboard.Hubs;

// The hub's wire contract. Plain records with camelCase keys in both protocols (JSON by SignalR's default
// naming, MessagePack through the Key attributes), strings instead of enums, UTC DateTime instead of
// DateTimeOffset (a MessagePack timestamp, an ISO 8601 "Z" string in JSON), no polymorphism and only
// string-keyed maps, so clients in any language can read them. This file depends on nothing but the BCL and
// MessagePack's attributes: samples/JobsClient compiles it as is.

/// <summary>
/// One message of <c>JobsHub.StreamJobs</c>. The first message has <see cref="Kind"/> <c>"snapshot"</c> and lists
/// every matching job in <see cref="Jobs"/>; every later message has <see cref="Kind"/> <c>"changes"</c>, with the
/// jobs added or changed in <see cref="Jobs"/> and the jobs gone (deleted, or no longer matching the selector) in
/// <see cref="Deletes"/>. Within one message a job appears at most once, so upserts and deletes can be applied in
/// any order. A message may carry no job changes at all when only <see cref="Sync"/> changed.
/// </summary>
[MessagePackObject]
public sealed record JobStreamMessage(
    [property: Key("kind")] string Kind,
    [property: Key("namespace")] string? Namespace,
    [property: Key("labelSelector")] string? LabelSelector,
    [property: Key("resourceVersion")] string ResourceVersion,
    [property: Key("sync")] SyncStateDto Sync,
    [property: Key("jobs")] IReadOnlyList<JobSummaryDto> Jobs,
    [property: Key("deletes")] IReadOnlyList<JobKeyDto> Deletes)
{
    /// <summary><see cref="Kind"/> of the first message: the whole current set.</summary>
    public const string SnapshotKind = "snapshot";

    /// <summary><see cref="Kind"/> of every later message: what changed since the previous one.</summary>
    public const string ChangesKind = "changes";

    /// <summary>True for the first message of a stream.</summary>
    [IgnoreMember]
    [JsonIgnore]
    public bool IsSnapshot => Kind == SnapshotKind;
}

/// <summary>The namespace and name of a job that left the view.</summary>
[MessagePackObject]
public sealed record JobKeyDto(
    [property: Key("namespace")] string Namespace,
    [property: Key("name")] string Name);

/// <summary>
/// What a job list shows of one job. <see cref="State"/> is one of <c>Unknown</c>, <c>Created</c>, <c>Running</c>,
/// <c>Restarting</c>, <c>Succeeded</c>, <c>Failed</c>, <c>Suspended</c> (from the newest condition, like kubectl's
/// STATE column); <see cref="StateReason"/> and <see cref="StateMessage"/> are that condition's, verbatim.
/// </summary>
[MessagePackObject]
public sealed record JobSummaryDto(
    [property: Key("namespace")] string Namespace,
    [property: Key("name")] string Name,
    [property: Key("uid")] string Uid,
    [property: Key("resourceVersion")] string ResourceVersion,
    [property: Key("createdAt")] DateTime? CreatedAt,
    [property: Key("labels")] IReadOnlyDictionary<string, string> Labels,
    [property: Key("state")] string State,
    [property: Key("stateReason")] string? StateReason,
    [property: Key("stateMessage")] string? StateMessage,
    [property: Key("startTime")] DateTime? StartTime,
    [property: Key("completionTime")] DateTime? CompletionTime,
    [property: Key("master")] ReplicaCountsDto? Master,
    [property: Key("worker")] ReplicaCountsDto? Worker,
    [property: Key("image")] string? Image,
    [property: Key("elastic")] bool Elastic);

/// <summary>Desired replicas of one replica type and the operator's counts of active, succeeded and failed ones.</summary>
[MessagePackObject]
public sealed record ReplicaCountsDto(
    [property: Key("desired")] int Desired,
    [property: Key("active")] int Active,
    [property: Key("succeeded")] int Succeeded,
    [property: Key("failed")] int Failed);

/// <summary>
/// The state of the shared cache behind the stream. <see cref="Phase"/> is one of <c>Syncing</c> (first list being
/// paged in: the snapshot may be partial), <c>Live</c>, <c>Reconnecting</c> (retrying with backoff, jobs are the
/// last known), <c>Stale</c> (retrying for long enough that the data is out of date, since
/// <see cref="StaleSince"/>) and <c>Error</c> (the API refuses, see <see cref="Error"/>). Times are UTC.
/// </summary>
[MessagePackObject]
public sealed record SyncStateDto(
    [property: Key("phase")] string Phase,
    [property: Key("itemsLoaded")] int ItemsLoaded,
    [property: Key("itemsEstimated")] int? ItemsEstimated,
    [property: Key("attempt")] int Attempt,
    [property: Key("nextAttemptAt")] DateTime? NextAttemptAt,
    [property: Key("staleSince")] DateTime? StaleSince,
    [property: Key("error")] ApiErrorDto? Error,
    [property: Key("lastSyncedAt")] DateTime? LastSyncedAt);

/// <summary>
/// A Kubernetes API failure in the API's own words. <see cref="Kind"/> is one of <c>Unauthorized</c>,
/// <c>Forbidden</c>, <c>CrdNotInstalled</c>, <c>ServerError</c>, <c>Timeout</c>, <c>Network</c>, <c>Other</c>.
/// </summary>
[MessagePackObject]
public sealed record ApiErrorDto(
    [property: Key("kind")] string Kind,
    [property: Key("code")] int? Code,
    [property: Key("reason")] string? Reason,
    [property: Key("message")] string Message);
