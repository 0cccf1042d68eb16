using System.Collections.Concurrent;

namespace Dashboard.Emulator.Control;

/// <summary>Request counts, so tests and benchmarks can prove how many requests a client made.
/// Namespace keys: the namespace, or "*" for the cluster-wide path.</summary>
public sealed class EmulatorStats
{
    private readonly ConcurrentDictionary<string, long> _listPagesByNamespace = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _watchesOpenedByNamespace = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _watchesOpenNow = new(StringComparer.Ordinal);
    private long _listPages;
    private long _watchesOpened;
    private long _writes;
    private long _gets;
    private long _faultsServed;

    public long ListPages => Interlocked.Read(ref _listPages);
    public long WatchesOpened => Interlocked.Read(ref _watchesOpened);
    public long Writes => Interlocked.Read(ref _writes);
    public long Gets => Interlocked.Read(ref _gets);
    public long FaultsServed => Interlocked.Read(ref _faultsServed);

    public IReadOnlyDictionary<string, long> ListPagesByNamespace => Copy(_listPagesByNamespace);
    public IReadOnlyDictionary<string, long> WatchesOpenedByNamespace => Copy(_watchesOpenedByNamespace);
    public IReadOnlyDictionary<string, long> WatchesOpenNow => Copy(_watchesOpenNow);

    internal void CountListPage(string namespaceKey)
    {
        Interlocked.Increment(ref _listPages);
        _listPagesByNamespace.AddOrUpdate(namespaceKey, 1, (_, n) => n + 1);
    }

    internal void CountWatchOpened(string namespaceKey)
    {
        Interlocked.Increment(ref _watchesOpened);
        _watchesOpenedByNamespace.AddOrUpdate(namespaceKey, 1, (_, n) => n + 1);
        _watchesOpenNow.AddOrUpdate(namespaceKey, 1, (_, n) => n + 1);
    }

    internal void CountWatchClosed(string namespaceKey) => _watchesOpenNow.AddOrUpdate(namespaceKey, 0, (_, n) => n - 1);

    internal void CountWrite() => Interlocked.Increment(ref _writes);

    internal void CountGet() => Interlocked.Increment(ref _gets);

    internal void CountFault() => Interlocked.Increment(ref _faultsServed);

    private static Dictionary<string, long> Copy(ConcurrentDictionary<string, long> source) => new(source, StringComparer.Ordinal);
}
