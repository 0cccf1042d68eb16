using System.Runtime.CompilerServices;
using Dashboard.Kubernetes.Query;

namespace Dashboard.Hubs;

/// <summary>The one place the query service's records become the hub's wire messages.</summary>
public static class JobStreamMapper
{
    private static readonly IReadOnlyList<JobSummaryDto> NoJobs = [];
    private static readonly IReadOnlyList<JobKeyDto> NoDeletes = [];

    public static JobStreamMessage ToSnapshotMessage(JobSnapshot snapshot) => new(
        JobStreamMessage.SnapshotKind,
        snapshot.Namespace,
        snapshot.LabelSelector,
        snapshot.ResourceVersion,
        ToDto(snapshot.Sync),
        snapshot.Jobs.Count == 0 ? NoJobs : snapshot.Jobs.Select(ToDto).ToArray(),
        NoDeletes);

    /// <summary>
    /// Keeps only the last change per job so the message's upserts and deletes are disjoint
    /// (a job deleted and recreated within one batch arrives as an upsert of the new object).
    /// </summary>
    public static JobStreamMessage ToChangesMessage(JobSnapshot subscribed, JobChangeBatch batch)
    {
        var lastByKey = new Dictionary<(string Namespace, string Name), JobChange>(batch.Changes.Count);
        foreach (var change in batch.Changes)
        {
            lastByKey[(change.Namespace, change.Name)] = change;
        }

        var upserts = new List<JobSummaryDto>();
        var deletes = new List<JobKeyDto>();
        foreach (var change in lastByKey.Values)
        {
            if (change.Kind == JobChangeKind.Upsert && change.Job is { } job)
            {
                upserts.Add(ToDto(job));
            }
            else
            {
                deletes.Add(new JobKeyDto(change.Namespace, change.Name));
            }
        }

        return new JobStreamMessage(
            JobStreamMessage.ChangesKind,
            subscribed.Namespace,
            subscribed.LabelSelector,
            batch.ResourceVersion,
            ToDto(batch.Sync),
            upserts.Count == 0 ? NoJobs : upserts,
            deletes.Count == 0 ? NoDeletes : deletes);
    }

    // Summaries are immutable and shared by every subscriber of a cache, so their wire form is too: 200 clients
    // streaming a 10,000-job snapshot map 10,000 summaries once, not two million times.
    private static readonly ConditionalWeakTable<JobSummary, JobSummaryDto> Dtos = [];

    public static JobSummaryDto ToDto(JobSummary job) => Dtos.GetValue(job, CreateDto);

    private static JobSummaryDto CreateDto(JobSummary job) => new(
        job.Namespace,
        job.Name,
        job.Uid,
        job.ResourceVersion,
        ToUtc(job.CreatedAt),
        job.Labels,
        job.State.ToString(),
        job.StateReason,
        job.StateMessage,
        ToUtc(job.StartTime),
        ToUtc(job.CompletionTime),
        ToDto(job.Master),
        ToDto(job.Worker),
        job.Image,
        job.Elastic);

    public static SyncStateDto ToDto(SyncStatus sync) => new(
        sync.Phase.ToString(),
        sync.ItemsLoaded,
        sync.ItemsEstimated,
        sync.Attempt,
        ToUtc(sync.NextAttemptAt),
        ToUtc(sync.StaleSince),
        sync.Error is { } error ? new ApiErrorDto(error.Kind.ToString(), error.Code, error.Reason, error.Message) : null,
        ToUtc(sync.LastSyncedAt));

    private static ReplicaCountsDto? ToDto(ReplicaSummary? replicas) =>
        replicas is null ? null : new ReplicaCountsDto(replicas.Desired, replicas.Active, replicas.Succeeded, replicas.Failed);

    private static DateTime? ToUtc(DateTimeOffset? value) => value?.UtcDateTime;
}
