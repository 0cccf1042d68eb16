using Dashboard.Kubernetes.Configuration;
using Dashboard.Kubernetes.Connection;
using Dashboard.Kubernetes.Diagnostics;
using Dashboard.Kubernetes.Query;
using Microsoft.Extensions.Logging;

namespace Dashboard.Kubernetes.Cache;

/// <summary>
/// One <see cref="JobCache"/> per namespace key ("" = all namespaces), started by the first subscriber and
/// stopped a grace period after the last one leaves (a page reload does not cost a relist). At most
/// <see cref="KubernetesOptions.MaxCaches"/> run at once, so URLs naming many namespaces cannot open a LIST and a
/// WATCH each: a new one first stops the longest-idle cache, and is refused when every cache is in use.
/// </summary>
public sealed class JobCacheRegistry : IAsyncDisposable
{
    private sealed class Entry(JobCache cache)
    {
        public JobCache Cache { get; } = cache;

        public int References { get; set; }

        public ITimer? StopTimer { get; set; }

        /// <summary>When the last subscriber left (a timestamp); the longest-idle cache is the first to give way.</summary>
        public long IdleSince { get; set; }

        // Bumped by every acquire and release: a stop callback of an older generation (already queued when its
        // timer was disposed) must not stop the cache.
        public long Generation { get; set; }
    }

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly List<Task> _stopping = [];
    private readonly IKubernetesConnection _connection;
    private readonly KubernetesOptions _options;
    private readonly TimeProvider _time;
    private readonly StringPool _pool;
    private readonly ILoggerFactory _loggerFactory;
    private readonly KubernetesMetrics? _metrics;
    private bool _disposed;

    public JobCacheRegistry(IKubernetesConnection connection, KubernetesOptions options, TimeProvider time, StringPool pool, ILoggerFactory loggerFactory, KubernetesMetrics? metrics = null)
    {
        _metrics = metrics;
        _connection = connection;
        _options = options;
        _time = time;
        _pool = pool;
        _loggerFactory = loggerFactory;
    }

    /// <summary>The running caches by namespace key (for diagnostics and tests).</summary>
    public IReadOnlyDictionary<string, JobCache> Caches
    {
        get
        {
            lock (_gate)
            {
                return _entries.ToDictionary(e => e.Key, e => e.Value.Cache, StringComparer.Ordinal);
            }
        }
    }

    public JobCache Acquire(string namespaceKey)
    {
        JobCache? evicted = null;
        try
        {
            return AcquireLocked(namespaceKey, out evicted);
        }
        finally
        {
            if (evicted is not null)
            {
                StopOutsideLock(evicted);
            }
        }
    }

    private JobCache AcquireLocked(string namespaceKey, out JobCache? evicted)
    {
        evicted = null;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_entries.TryGetValue(namespaceKey, out var entry))
            {
                if (_entries.Count >= _options.MaxCaches && (evicted = RemoveLongestIdle()) is null)
                {
                    throw new CacheLimitException(_options.MaxCaches);
                }

                var cache = new JobCache(namespaceKey, _connection, _options, _time, _pool, _loggerFactory.CreateLogger<JobCache>(), _metrics);
                _entries[namespaceKey] = entry = new Entry(cache);
                cache.Start();
            }

            entry.References++;
            entry.Generation++;
            entry.StopTimer?.Dispose();
            entry.StopTimer = null;
            return entry.Cache;
        }
    }

    /// <summary>Takes a reference on a cache only if it is already running (null otherwise).</summary>
    public JobCache? TryAcquireRunning(string namespaceKey)
    {
        lock (_gate)
        {
            if (_disposed || !_entries.TryGetValue(namespaceKey, out var entry))
            {
                return null;
            }

            entry.References++;
            entry.Generation++;
            entry.StopTimer?.Dispose();
            entry.StopTimer = null;
            return entry.Cache;
        }
    }

    public void Release(JobCache cache)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(cache.Namespace, out var entry) || !ReferenceEquals(entry.Cache, cache))
            {
                return;
            }

            entry.References--;
            if (entry.References > 0 || _disposed)
            {
                return;
            }

            entry.StopTimer?.Dispose();
            entry.IdleSince = _time.GetTimestamp();
            var generation = ++entry.Generation;
            entry.StopTimer = _time.CreateTimer(_ => StopIfUnused(cache, generation), null, _options.CacheGracePeriod, Timeout.InfiniteTimeSpan);
        }
    }

    private void StopIfUnused(JobCache cache, long generation)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(cache.Namespace, out var entry) || !ReferenceEquals(entry.Cache, cache) || entry.References > 0
                || entry.Generation != generation)
            {
                return;
            }

            Remove(entry);
        }

        StopOutsideLock(cache);
    }

    /// <summary>Takes out the cache idle the longest (in its grace period, no subscriber); null when all are in use.</summary>
    private JobCache? RemoveLongestIdle()
    {
        Entry? idlest = null;
        foreach (var entry in _entries.Values)
        {
            if (entry.References == 0 && (idlest is null || entry.IdleSince < idlest.IdleSince))
            {
                idlest = entry;
            }
        }

        if (idlest is null)
        {
            return null;
        }

        Remove(idlest);
        return idlest.Cache;
    }

    // Under _gate.
    private void Remove(Entry entry)
    {
        entry.StopTimer?.Dispose();
        entry.Generation++;
        _entries.Remove(entry.Cache.Namespace);
    }

    /// <summary>
    /// Stops a cache already taken out, off the registry's lock and the caller's thread: stopping waits for the
    /// cache's own lock, which its sync loop holds while applying a page, and no other namespace should wait for that.
    /// </summary>
    private void StopOutsideLock(JobCache cache)
    {
        var stopping = Task.Run(() => cache.DisposeAsync().AsTask());
        lock (_gate)
        {
            _stopping.RemoveAll(t => t.IsCompleted);
            _stopping.Add(stopping);
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<Task> stopping;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            stopping = [.. _stopping];
            foreach (var entry in _entries.Values)
            {
                entry.StopTimer?.Dispose();
                stopping.Add(entry.Cache.DisposeAsync().AsTask());
            }

            _entries.Clear();
        }

        await Task.WhenAll(stopping).ConfigureAwait(false);
    }
}
