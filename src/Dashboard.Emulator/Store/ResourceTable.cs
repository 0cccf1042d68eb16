using System.Collections.Immutable;

namespace Dashboard.Emulator.Store;

/// <summary>
/// The versioned state of one resource type. Every state is an immutable sorted list, so the state after each
/// event in the history is kept for free (shared structure) and a list can page through an old snapshot.
/// Not thread-safe: the store calls it under its lock.
/// </summary>
internal sealed class ResourceTable(ResourceKind kind, int historyLimit)
{
    private readonly List<HistoryEntry> _history = [];
    private readonly List<WatchSubscription> _watchers = [];
    private ImmutableList<StoredObject> _current = [];
    private ImmutableList<StoredObject> _baseState = [];

    public ResourceKind Kind { get; } = kind;

    public ImmutableList<StoredObject> Current => _current;

    /// <summary>The oldest resourceVersion whose state is still known; older snapshots and watches get 410.</summary>
    public long BaseResourceVersion { get; private set; }

    public int HistoryCount => _history.Count;

    public IReadOnlyList<WatchSubscription> Watchers => _watchers;

    public StoredObject? Find(string key)
    {
        var index = _current.BinarySearch(StoredObject.Probe(key), KeyOrder.Instance);
        return index >= 0 ? _current[index] : null;
    }

    public void Commit(WatchEvent change)
    {
        var key = (change.Object ?? throw new ArgumentException("A change carries its object.", nameof(change))).Key;
        var index = _current.BinarySearch(StoredObject.Probe(key), KeyOrder.Instance);
        _current = change.Type switch
        {
            ChangeType.Added => _current.Insert(~index, change.Object),
            ChangeType.Modified => _current.SetItem(index, change.Object),
            ChangeType.Deleted => _current.RemoveAt(index),
            _ => _current,
        };
        _history.Add(new HistoryEntry(change, _current));
        if (_history.Count > historyLimit)
        {
            TrimTo(historyLimit);
        }

        foreach (var watcher in _watchers)
        {
            watcher.Offer(change);
        }
    }

    /// <summary>Drops the whole history: the current state becomes the only known one.</summary>
    public void Compact(long currentResourceVersion)
    {
        _history.Clear();
        _baseState = _current;
        BaseResourceVersion = currentResourceVersion;
    }

    /// <summary>The state as of resourceVersion (which must be at least <see cref="BaseResourceVersion"/>).</summary>
    public ImmutableList<StoredObject> StateAt(long resourceVersion)
    {
        var low = 0;
        var high = _history.Count - 1;
        var found = -1;
        while (low <= high)
        {
            var middle = (low + high) / 2;
            if (_history[middle].Change.ResourceVersion <= resourceVersion)
            {
                found = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return found >= 0 ? _history[found].StateAfter : _baseState;
    }

    public IEnumerable<WatchEvent> EventsAfter(long resourceVersion)
    {
        foreach (var entry in _history)
        {
            if (entry.Change.ResourceVersion > resourceVersion)
            {
                yield return entry.Change;
            }
        }
    }

    public void AddWatcher(WatchSubscription watcher) => _watchers.Add(watcher);

    public void RemoveWatcher(WatchSubscription watcher) => _watchers.Remove(watcher);

    private void TrimTo(int count)
    {
        var drop = _history.Count - count;
        var lastDropped = _history[drop - 1];
        _baseState = lastDropped.StateAfter;
        BaseResourceVersion = lastDropped.Change.ResourceVersion;
        _history.RemoveRange(0, drop);
    }

    private sealed record HistoryEntry(WatchEvent Change, ImmutableList<StoredObject> StateAfter);
}
