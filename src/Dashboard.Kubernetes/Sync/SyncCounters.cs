namespace Dashboard.Kubernetes.Sync;

/// <summary>What one list/watch loop has done so far (diagnostics, tests and benchmarks).</summary>
public sealed class SyncCounters
{
    private long _listsStarted;
    private long _listPages;
    private long _watchesOpened;
    private long _expired;
    private long _failures;
    private long _events;

    public long ListsStarted => Interlocked.Read(ref _listsStarted);

    public long ListPages => Interlocked.Read(ref _listPages);

    public long WatchesOpened => Interlocked.Read(ref _watchesOpened);

    /// <summary>410 Expired answers (watch ERROR events and continue tokens), each followed by a relist.</summary>
    public long Expired => Interlocked.Read(ref _expired);

    public long Failures => Interlocked.Read(ref _failures);

    public long WatchEvents => Interlocked.Read(ref _events);

    internal void ListStarted() => Interlocked.Increment(ref _listsStarted);

    internal void ListPage() => Interlocked.Increment(ref _listPages);

    internal void WatchOpened() => Interlocked.Increment(ref _watchesOpened);

    internal void ExpiredSeen() => Interlocked.Increment(ref _expired);

    internal void Failed() => Interlocked.Increment(ref _failures);

    internal void WatchEvent() => Interlocked.Increment(ref _events);
}
