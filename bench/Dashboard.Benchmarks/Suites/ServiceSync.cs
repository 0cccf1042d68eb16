using System.Diagnostics;
using Dashboard.Kubernetes.Query;

namespace Dashboard.Benchmarks.Suites;

/// <summary>One subscriber syncing a namespace through the query service: when the first jobs arrive, when all are there and Live.</summary>
internal static class ServiceSync
{
    public sealed record Result(JobSubscription Subscription, int Jobs, TimeSpan FirstPage, TimeSpan FullSync);

    /// <summary>Subscribes and reads batches until the sync state is Live (and, if given, <paramref name="expectedJobs"/> are held). The caller disposes the subscription.</summary>
    public static async Task<Result> SyncAsync(IJobQueryService jobs, string @namespace, int? expectedJobs, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var names = new HashSet<string>(StringComparer.Ordinal);
        TimeSpan? firstPage = null;
        var started = Stopwatch.GetTimestamp();
        var subscription = await jobs.SubscribeAsync(@namespace, null, deadline.Token);
        try
        {
            if (!Apply(subscription.Snapshot.Jobs.Select(JobChange.Upsert), subscription.Snapshot.Sync))
            {
                await foreach (var batch in subscription.Changes.WithCancellation(deadline.Token))
                {
                    if (Apply(batch.Changes, batch.Sync))
                    {
                        break;
                    }
                }
            }

            var fullSync = Stopwatch.GetElapsedTime(started);
            if (expectedJobs is { } expected && names.Count != expected)
            {
                throw new InvalidOperationException($"The subscriber saw {names.Count} jobs in {@namespace}, expected {expected}.");
            }

            return new Result(subscription, names.Count, firstPage ?? fullSync, fullSync);
        }
        catch
        {
            await subscription.DisposeAsync();
            throw;
        }

        bool Apply(IEnumerable<JobChange> changes, SyncStatus sync)
        {
            foreach (var change in changes)
            {
                if (change.Kind == JobChangeKind.Upsert)
                {
                    names.Add(change.Name);
                }
                else
                {
                    names.Remove(change.Name);
                }
            }

            if (firstPage is null && names.Count > 0)
            {
                firstPage = Stopwatch.GetElapsedTime(started);
            }

            return sync.Phase == SyncPhase.Live && (expectedJobs is not { } expected || names.Count == expected);
        }
    }
}
