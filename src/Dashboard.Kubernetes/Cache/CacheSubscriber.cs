using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Dashboard.Kubernetes.Query;
using Dashboard.Model.Selectors;

namespace Dashboard.Kubernetes.Cache;

/// <summary>
/// One subscriber of a cache: its label selector and an unbounded single-reader channel the cache writes
/// to under its lock (so the order matches the snapshot). The reader coalesces: batches are at least
/// <c>minInterval</c> apart and hold the last change per job.
/// </summary>
public sealed class CacheSubscriber(LabelSelector selector)
{
    internal readonly record struct Item(JobChange? Change, SyncStatus? Status, string ResourceVersion);

    // Unbounded so TryWrite under the cache's lock always succeeds and never waits for a slow reader.
    private readonly Channel<Item> _channel = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions
    {
        SingleReader = true,
        SingleWriter = false,
        AllowSynchronousContinuations = false,
    });

    public LabelSelector Selector { get; } = selector;

    // Set when a list completes: the batch that turns the view Live is not held back by the interval.
    private TaskCompletionSource _flush = NewFlush();

    internal void Post(Item item) => _channel.Writer.TryWrite(item);

    /// <summary>Deliver what is queued without waiting out the batch interval (once per completed list, so rare).</summary>
    internal void Flush() => Volatile.Read(ref _flush).TrySetResult();

    private static TaskCompletionSource NewFlush() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal void Complete() => _channel.Writer.TryComplete();

    private const int RetainedCapacity = 256;

    internal async IAsyncEnumerable<JobChangeBatch> ReadBatchesAsync(
        string resourceVersion, SyncStatus sync, TimeProvider time, TimeSpan minInterval,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var reader = _channel.Reader;
        long? lastBatchAt = null;
        var changes = new List<JobChange>();
        var indexByKey = new Dictionary<(string, string), int>();
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (lastBatchAt is { } last && minInterval - time.GetElapsedTime(last) is { Ticks: > 0 } wait)
            {
                // Let a burst gather: one batch is one render downstream.
                var flush = Volatile.Read(ref _flush).Task;
                if (!flush.IsCompleted)
                {
                    await Task.WhenAny(Task.Delay(wait, time, cancellationToken), flush).ConfigureAwait(false);
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }

            // Consumed before draining: a flush signalled from here on is for items this drain may miss.
            if (Volatile.Read(ref _flush).Task.IsCompleted)
            {
                Volatile.Write(ref _flush, NewFlush());
            }

            var syncChanged = false;
            if (reader.CanCount && reader.Count > RetainedCapacity)
            {
                // A list's worth at once: size for it up front rather than growing step by step.
                changes.EnsureCapacity(changes.Count + reader.Count);
                indexByKey.EnsureCapacity(changes.Count + reader.Count);
            }

            while (reader.TryRead(out var item))
            {
                if (item.Change is { } change)
                {
                    var key = (change.Namespace, change.Name);
                    if (indexByKey.TryGetValue(key, out var index))
                    {
                        changes[index] = change;
                    }
                    else
                    {
                        indexByKey[key] = changes.Count;
                        changes.Add(change);
                    }
                }

                if (item.Status is { } status)
                {
                    syncChanged |= status != sync;
                    sync = status;
                }

                resourceVersion = item.ResourceVersion;
            }

            if (changes.Count > 0 || syncChanged)
            {
                var batch = new JobChangeBatch([.. changes], resourceVersion, sync);
                if (changes.Count > RetainedCapacity)
                {
                    // A full list went through: do not keep its capacity for the life of the subscription.
                    changes = [];
                    indexByKey = [];
                }
                else
                {
                    changes.Clear();
                    indexByKey.Clear();
                }

                lastBatchAt = time.GetTimestamp();
                yield return batch;
            }
        }
    }
}
