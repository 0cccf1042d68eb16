using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Dashboard.Kubernetes.Query;

namespace Dashboard.Kubernetes.Cache;

/// <summary>
/// One subscriber of one job. The cache only signals "changed" and records the newest state; the reader
/// builds the detail (the one deserialization of the full object) off the cache's lock, at most every
/// <c>minInterval</c>.
/// </summary>
public sealed class DetailSubscriber(string @namespace, string name)
{
    // "Something changed": one slot, so signalling never queues, however far behind the reader is.
    private readonly Channel<bool> _signals = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });
    private readonly Lock _gate = new();
    private CachedJob? _job;
    private IReadOnlyList<ObservedChange>? _deletedHistory;
    private SyncStatus _sync = new(SyncPhase.Syncing);
    private bool _unread;

    // A deletion not read yet when another job of the same name took its place: shown before the new job.
    private (CachedJob Job, IReadOnlyList<ObservedChange> History)? _replacedDeletion;

    public string Namespace { get; } = @namespace;

    public string Name { get; } = name;

    public string Key => Namespace + "/" + Name;

    /// <summary>The state at subscription time, so a later status-only signal still carries the job.</summary>
    internal void Seed(CachedJob? job, SyncStatus sync)
    {
        lock (_gate)
        {
            _job = job;
            _sync = sync;
        }
    }

    internal void Set(CachedJob? job, IReadOnlyList<ObservedChange>? deletedHistory, SyncStatus sync)
    {
        lock (_gate)
        {
            if (_unread && _job is not null && _deletedHistory is not null && job is not null && job.Summary.Uid != _job.Summary.Uid)
            {
                _replacedDeletion = (_job, _deletedHistory);
            }

            _job = job;
            _deletedHistory = deletedHistory;
            _sync = sync;
            _unread = true;
        }

        _signals.Writer.TryWrite(true);
    }

    internal void SetSync(SyncStatus sync)
    {
        lock (_gate)
        {
            _sync = sync;
        }

        _signals.Writer.TryWrite(true);
    }

    internal void Complete() => _signals.Writer.TryComplete();

    internal async IAsyncEnumerable<JobDetailUpdate> ReadUpdatesAsync(
        int historyLimit, TimeProvider time, TimeSpan minInterval, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var reader = _signals.Reader;
        long? lastAt = null;
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (lastAt is { } last && minInterval - time.GetElapsedTime(last) is { Ticks: > 0 } wait)
            {
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            }

            while (reader.TryRead(out _))
            {
            }

            CachedJob? job;
            IReadOnlyList<ObservedChange>? deletedHistory;
            SyncStatus sync;
            (CachedJob Job, IReadOnlyList<ObservedChange> History)? replaced;
            lock (_gate)
            {
                (job, deletedHistory, sync, replaced) = (_job, _deletedHistory, _sync, _replacedDeletion);
                _replacedDeletion = null;
                _unread = false;
            }

            lastAt = time.GetTimestamp();
            if (replaced is { } gone)
            {
                yield return new JobDetailUpdate(gone.Job.ToDetail(historyLimit, deleted: true, history: gone.History), sync);
            }

            var detail = job?.ToDetail(historyLimit, deleted: deletedHistory is not null, history: deletedHistory);
            yield return new JobDetailUpdate(detail, sync);
        }
    }
}
