using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Dashboard.Kubernetes.Query;
using Dashboard.Model.Selectors;

namespace Dashboard.Kubernetes.Cache;

/// <summary>
/// One subscriber of a cache: its label selector and the changes it has not read yet. The cache posts under its
/// lock (so the order matches the snapshot); pending changes are merged per job as they arrive, so a subscriber
/// that stops reading holds at most one change per job, never a growing queue. The reader takes everything
/// pending as one batch, at least <c>minInterval</c> after the previous one.
/// </summary>
public sealed class CacheSubscriber(LabelSelector selector)
{
    internal readonly record struct Item(JobChange? Change, SyncStatus? Status, string ResourceVersion);

    // "Something is pending": one slot, so signalling never allocates or waits, however far behind the reader is.
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
        SingleWriter = false,
        AllowSynchronousContinuations = false,
    });

    private readonly Lock _gate = new();
    private List<JobChange> _pending = [];
    private Dictionary<(string Namespace, string Name), int> _indexByKey = [];
    private SyncStatus? _pendingStatus;
    private string? _pendingResourceVersion;

    public LabelSelector Selector { get; } = selector;

    // Set when a list completes: the batch that turns the view Live is not held back by the interval.
    private TaskCompletionSource _flush = NewFlush();

    /// <summary>How many jobs have a change waiting to be read (at most one each).</summary>
    internal int PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    internal void Post(Item item)
    {
        lock (_gate)
        {
            if (item.Change is { } change)
            {
                // The newest change of a job replaces the one waiting: the batch carries each job's latest state.
                var key = (change.Namespace, change.Name);
                if (_indexByKey.TryGetValue(key, out var index))
                {
                    _pending[index] = change;
                }
                else
                {
                    _indexByKey[key] = _pending.Count;
                    _pending.Add(change);
                }
            }

            if (item.Status is { } status)
            {
                _pendingStatus = status;
            }

            _pendingResourceVersion = item.ResourceVersion;
        }

        _signal.Writer.TryWrite(true);
    }

    /// <summary>Deliver what is queued without waiting out the batch interval (once per completed list, so rare).</summary>
    internal void Flush() => Volatile.Read(ref _flush).TrySetResult();

    private static TaskCompletionSource NewFlush() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal void Complete() => _signal.Writer.TryComplete();

    private const int RetainedCapacity = 256;

    internal async IAsyncEnumerable<JobChangeBatch> ReadBatchesAsync(
        string resourceVersion, SyncStatus sync, TimeProvider time, TimeSpan minInterval,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var reader = _signal.Reader;
        long? lastBatchAt = null;
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

            // Consumed before taking what is pending: a flush signalled from here on is for changes this take may miss.
            if (Volatile.Read(ref _flush).Task.IsCompleted)
            {
                Volatile.Write(ref _flush, NewFlush());
            }

            // The signal is taken before the changes, so a post racing with this take leaves a signal for the next round.
            reader.TryRead(out _);
            JobChange[] changes;
            var syncChanged = false;
            lock (_gate)
            {
                changes = [.. _pending];
                if (_pending.Count > RetainedCapacity)
                {
                    // A full list went through: do not keep its capacity for the life of the subscription.
                    _pending = [];
                    _indexByKey = [];
                }
                else
                {
                    _pending.Clear();
                    _indexByKey.Clear();
                }

                if (_pendingStatus is { } status)
                {
                    syncChanged = status != sync;
                    sync = status;
                    _pendingStatus = null;
                }

                if (_pendingResourceVersion is { } version)
                {
                    resourceVersion = version;
                    _pendingResourceVersion = null;
                }
            }

            if (changes.Length > 0 || syncChanged)
            {
                lastBatchAt = time.GetTimestamp();
                yield return new JobChangeBatch(changes, resourceVersion, sync);
            }
        }
    }
}
