using Dashboard.Kubernetes.Configuration;
using Dashboard.Kubernetes.Connection;
using Dashboard.Kubernetes.Diagnostics;
using Dashboard.Kubernetes.History;
using Dashboard.Kubernetes.Query;
using Dashboard.Kubernetes.Sync;
using Dashboard.Model.Selectors;
using Microsoft.Extensions.Logging;

namespace Dashboard.Kubernetes.Cache;

/// <summary>
/// The shared cache of one namespace ("" = all namespaces): one list/watch loop, however many subscribers.
/// Each subscriber gets an immutable snapshot and then every change through its own channel, written under
/// the same lock as the snapshot was taken, so nothing is lost or doubled in between.
/// </summary>
public sealed class JobCache : IJobSyncTarget, IAsyncDisposable
{
    private readonly Lock _gate = new();
    // Keyed by (namespace, name) with the summary's own strings: no extra key string per job.
    private readonly Dictionary<(string Namespace, string Name), CachedJob> _jobs = [];
    private readonly Dictionary<(string Namespace, string Name), List<DetailSubscriber>> _details = [];
    private readonly KubernetesOptions _options;
    private readonly TimeProvider _time;
    private readonly JobListWatcher _watcher;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private CacheSubscriber[] _subscribers = [];
    private HashSet<(string Namespace, string Name)>? _listedKeys;
    private string _resourceVersion = "";
    private SyncStatus _sync = new(SyncPhase.Syncing);
    private bool _listCompletedOnce;
    private Task? _loop;

    public JobCache(string @namespace, IKubernetesConnection connection, KubernetesOptions options, TimeProvider time, StringPool pool, ILogger logger, KubernetesMetrics? metrics = null)
    {
        Namespace = @namespace;
        _options = options;
        _time = time;
        _logger = logger;
        _watcher = new JobListWatcher(connection, @namespace, options, time, this, pool, logger, metrics);
    }

    public SyncCounters Counters => _watcher.Counters;

    /// <summary>"" for the all-namespaces cache.</summary>
    public string Namespace { get; }

    public SyncStatus Sync
    {
        get
        {
            lock (_gate)
            {
                return _sync;
            }
        }
    }

    public string ResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _resourceVersion;
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _jobs.Count;
            }
        }
    }

    public int SubscriberCount
    {
        get
        {
            lock (_gate)
            {
                return _subscribers.Length;
            }
        }
    }

    public void Start()
    {
        lock (_gate)
        {
            _loop ??= Task.Run(() => RunAsync(_stopping.Token));
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _watcher.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            // The loop handles every failure itself; reaching here is a bug, so say it loudly and visibly.
            _logger.LogError(exception, "The sync loop of namespace '{Namespace}' stopped", Namespace);
            OnStatus(new SyncStatus(SyncPhase.Error, Error: new ApiError(ApiErrorKind.Other, null, exception.GetType().Name, exception.Message)));
        }
    }

    /// <summary>Key → resourceVersion of every cached job (for tests and diagnostics).</summary>
    public IReadOnlyDictionary<string, string> ResourceVersions()
    {
        lock (_gate)
        {
            return _jobs.ToDictionary(p => p.Key.Namespace + "/" + p.Key.Name, p => p.Value.Summary.ResourceVersion, StringComparer.Ordinal);
        }
    }

    public CachedJob? Find(string @namespace, string name)
    {
        lock (_gate)
        {
            return _jobs.GetValueOrDefault((@namespace, name));
        }
    }

    public (JobSnapshot Snapshot, CacheSubscriber Subscriber) Subscribe(LabelSelector selector)
    {
        var subscriber = new CacheSubscriber(selector);
        lock (_gate)
        {
            var jobs = new List<JobSummary>(selector.IsEmpty ? _jobs.Count : 16);
            foreach (var job in _jobs.Values)
            {
                if (selector.IsEmpty || selector.Matches(job.Summary.Labels))
                {
                    jobs.Add(job.Summary);
                }
            }

            _subscribers = [.. _subscribers, subscriber];
            var snapshot = new JobSnapshot(
                string.IsNullOrEmpty(Namespace) ? null : Namespace,
                selector.IsEmpty ? null : selector.ToString(),
                _resourceVersion,
                _sync,
                jobs);
            return (snapshot, subscriber);
        }
    }

    public void Unsubscribe(CacheSubscriber subscriber)
    {
        lock (_gate)
        {
            _subscribers = [.. _subscribers.Where(s => !ReferenceEquals(s, subscriber))];
        }

        subscriber.Complete();
    }

    public IAsyncEnumerable<JobChangeBatch> ReadBatches(CacheSubscriber subscriber, JobSnapshot snapshot, CancellationToken cancellationToken = default) =>
        subscriber.ReadBatchesAsync(snapshot.ResourceVersion, snapshot.Sync, _time, _options.BatchInterval, cancellationToken);

    public (JobDetail? Current, SyncStatus Sync, DetailSubscriber Subscriber) SubscribeDetail(string @namespace, string name)
    {
        var subscriber = new DetailSubscriber(@namespace, name);
        CachedJob? job;
        SyncStatus sync;
        lock (_gate)
        {
            job = _jobs.GetValueOrDefault((@namespace, name));
            sync = _sync;
            subscriber.Seed(job, sync);
            if (!_details.TryGetValue((@namespace, name), out var list))
            {
                _details[(@namespace, name)] = list = [];
            }

            list.Add(subscriber);
        }

        return (job?.ToDetail(_options.HistoryLimit), sync, subscriber);
    }

    public IAsyncEnumerable<JobDetailUpdate> ReadUpdates(DetailSubscriber subscriber, CancellationToken cancellationToken = default) =>
        subscriber.ReadUpdatesAsync(_options.HistoryLimit, _time, _options.BatchInterval, cancellationToken);

    public void UnsubscribeDetail(DetailSubscriber subscriber)
    {
        lock (_gate)
        {
            if (_details.TryGetValue((subscriber.Namespace, subscriber.Name), out var list))
            {
                list.Remove(subscriber);
                if (list.Count == 0)
                {
                    _details.Remove((subscriber.Namespace, subscriber.Name));
                }
            }
        }

        subscriber.Complete();
    }

    void IJobSyncTarget.OnListStarted()
    {
        lock (_gate)
        {
            _listedKeys = new HashSet<(string Namespace, string Name)>(_jobs.Count);
        }
    }

    void IJobSyncTarget.OnListPage(IReadOnlyList<JobEntry> jobs, string resourceVersion, SyncStatus status)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var firstSync = !_listCompletedOnce;
            foreach (var job in jobs)
            {
                _listedKeys?.Add((job.Summary.Namespace, job.Summary.Name));
                UpsertLocked(job, now);
            }

            // Pages of one list share its resourceVersion; during a relist the old one stays until the diff is complete.
            if (firstSync)
            {
                _resourceVersion = resourceVersion;
            }

            SetStatusLocked(status);
        }
    }

    void IJobSyncTarget.OnListCompleted(string resourceVersion, SyncStatus status)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (_listedKeys is { } listed)
            {
                foreach (var key in _jobs.Keys.Where(k => !listed.Contains(k)).ToList())
                {
                    DeleteLocked(key, resourceVersion, now);
                }
            }

            _listedKeys = null;
            _listCompletedOnce = true;
            _resourceVersion = resourceVersion;
            SetStatusLocked(status);

            // The whole list is in: subscribers get it now rather than at the end of their batch interval.
            foreach (var subscriber in _subscribers)
            {
                subscriber.Flush();
            }
        }
    }

    void IJobSyncTarget.OnUpsert(JobEntry job)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            _resourceVersion = job.Summary.ResourceVersion;
            UpsertLocked(job, now);
        }
    }

    void IJobSyncTarget.OnDelete(JobEntry job)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            _resourceVersion = job.Summary.ResourceVersion;
            DeleteLocked((job.Summary.Namespace, job.Summary.Name), job.Summary.ResourceVersion, now);
        }
    }

    void IJobSyncTarget.OnResourceVersion(string resourceVersion)
    {
        lock (_gate)
        {
            _resourceVersion = resourceVersion;
        }
    }

    public void OnStatus(SyncStatus status)
    {
        lock (_gate)
        {
            SetStatusLocked(status);
        }
    }

    private void SetStatusLocked(SyncStatus status)
    {
        if (status == _sync)
        {
            return;
        }

        _sync = status;
        foreach (var subscriber in _subscribers)
        {
            subscriber.Post(new CacheSubscriber.Item(null, status, _resourceVersion));
        }

        foreach (var list in _details.Values)
        {
            foreach (var detail in list)
            {
                detail.SetSync(status);
            }
        }
    }

    private void UpsertLocked(JobEntry entry, DateTimeOffset now)
    {
        var key = (entry.Summary.Namespace, entry.Summary.Name);
        _jobs.TryGetValue(key, out var old);
        if (old is not null && old.Summary.ResourceVersion == entry.Summary.ResourceVersion)
        {
            return;
        }

        if (old is not null && old.Summary.Uid.Length > 0 && entry.Summary.Uid.Length > 0 && old.Summary.Uid != entry.Summary.Uid)
        {
            // Deleted and created again under the same name while no watch saw it (a relist): another job, whose
            // history starts afresh. Its watchers see the old one deleted first.
            DeleteLocked(key, entry.Summary.ResourceVersion, now);
            old = null;
        }

        var history = old?.History;
        if (old is not null)
        {
            var before = JobStatusView.From(old.Json);
            var after = JobStatusView.From(entry.Json);
            var baseline = old.History ?? ObservedHistory.Seed(before, old.Summary.ResourceVersion, old.FirstSeenAt, _options.HistoryLimit);
            var appended = ObservedHistory.Append(baseline, before, after, entry.Summary.ResourceVersion, now, _options.HistoryLimit);
            // Keep no history array until something actually changed (most jobs never do while watched).
            history = ReferenceEquals(appended, baseline) ? old.History : appended;
        }

        var cached = new CachedJob(entry.Summary, entry.Json, old?.FirstSeenAt ?? now, history);
        _jobs[key] = cached;

        var change = JobChange.Upsert(cached.Summary);
        foreach (var subscriber in _subscribers)
        {
            if (subscriber.Selector.IsEmpty || subscriber.Selector.Matches(cached.Summary.Labels))
            {
                subscriber.Post(new CacheSubscriber.Item(change, null, entry.Summary.ResourceVersion));
            }
            else if (old is not null && subscriber.Selector.Matches(old.Summary.Labels))
            {
                // It left this subscriber's selection.
                subscriber.Post(new CacheSubscriber.Item(JobChange.Delete(cached.Summary.Namespace, cached.Summary.Name), null, entry.Summary.ResourceVersion));
            }
        }

        if (_details.TryGetValue(key, out var details))
        {
            foreach (var detail in details)
            {
                detail.Set(cached, null, _sync);
            }
        }
    }

    private void DeleteLocked((string Namespace, string Name) key, string resourceVersion, DateTimeOffset now)
    {
        if (!_jobs.Remove(key, out var old))
        {
            return;
        }

        var change = JobChange.Delete(old.Summary.Namespace, old.Summary.Name);
        foreach (var subscriber in _subscribers)
        {
            if (subscriber.Selector.IsEmpty || subscriber.Selector.Matches(old.Summary.Labels))
            {
                subscriber.Post(new CacheSubscriber.Item(change, null, resourceVersion));
            }
        }

        if (_details.TryGetValue(key, out var details))
        {
            var history = ObservedHistory.AppendDeleted([.. old.HistoryOrSeed(_options.HistoryLimit)], resourceVersion, now, _options.HistoryLimit);
            foreach (var detail in details)
            {
                detail.Set(old, history, _sync);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task? loop;
        CacheSubscriber[] subscribers;
        List<DetailSubscriber> details;
        lock (_gate)
        {
            loop = _loop;
            subscribers = _subscribers;
            details = [.. _details.Values.SelectMany(d => d)];
            _subscribers = [];
            _details.Clear();
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (loop is not null)
        {
            await loop.ConfigureAwait(false);
        }

        foreach (var subscriber in subscribers)
        {
            subscriber.Complete();
        }

        foreach (var detail in details)
        {
            detail.Complete();
        }

        _stopping.Dispose();
    }
}
