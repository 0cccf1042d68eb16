using System.Collections.Immutable;
using Dashboard.Emulator.Errors;
using k8s;
using k8s.Models;

namespace Dashboard.Emulator.Store;

/// <summary>A consistent list: its items and the resourceVersion it is the state of.</summary>
public sealed record ListSnapshot(ImmutableList<StoredObject> Items, long ResourceVersion);

/// <summary>
/// The emulator's MVCC store: one monotonically increasing resourceVersion across every resource, a bounded
/// event history per resource that compacts by itself (and on demand), and the watches fed from it.
/// Every write, from the HTTP API or the scenario, goes through here.
/// </summary>
public sealed partial class EmulatorStore
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly ResourceTable _jobs;
    private readonly ResourceTable _namespaces;
    private long _resourceVersion;

    public EmulatorStore(EmulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = options.Time;
        _jobs = new ResourceTable(ResourceKind.PyTorchJobs, Math.Max(1, options.HistoryLimit));
        _namespaces = new ResourceTable(ResourceKind.Namespaces, Math.Max(1, options.HistoryLimit));
    }

    /// <summary>The latest resourceVersion handed out.</summary>
    public long ResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _resourceVersion;
            }
        }
    }

    /// <summary>Drops every event history now: older resourceVersions and continue tokens get 410.</summary>
    public void Compact()
    {
        lock (_gate)
        {
            _jobs.Compact(_resourceVersion);
            _namespaces.Compact(_resourceVersion);
        }
    }

    /// <summary>The oldest resourceVersion a list or watch of this kind can still be served at.</summary>
    public long OldestResourceVersion(ResourceKind kind)
    {
        lock (_gate)
        {
            return TableOf(kind).BaseResourceVersion;
        }
    }

    public StoredObject? Get(ResourceKind kind, string? @namespace, string name)
    {
        lock (_gate)
        {
            return TableOf(kind).Find(kind.KeyOf(@namespace, name));
        }
    }

    /// <summary>The current state, or the state at resourceVersion exactly (410 when compacted, 504 when in the future).</summary>
    public ListSnapshot Snapshot(ResourceKind kind, long? atResourceVersion = null)
    {
        lock (_gate)
        {
            var table = TableOf(kind);
            if (atResourceVersion is not { } rv)
            {
                return new ListSnapshot(table.Current, _resourceVersion);
            }

            if (rv > _resourceVersion)
            {
                throw ApiErrors.TooLargeResourceVersion(rv, _resourceVersion);
            }

            if (rv < table.BaseResourceVersion)
            {
                throw ApiErrors.ExpiredList();
            }

            return new ListSnapshot(table.StateAt(rv), rv);
        }
    }

    /// <summary>Counts of pytorchjobs per namespace.</summary>
    public IReadOnlyDictionary<string, int> JobCountsByNamespace()
    {
        ImmutableList<StoredObject> jobs;
        lock (_gate)
        {
            jobs = _jobs.Current;
        }

        return jobs.GroupBy(j => j.Namespace, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
    }

    /// <summary>Creates an object; with <paramref name="dryRun"/> only checks it and returns what would be stored.</summary>
    public StoredObject Create(ResourceKind kind, IKubernetesObject<V1ObjectMeta> obj, bool dryRun = false)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(obj);
        var meta = obj.Metadata ??= new V1ObjectMeta();
        lock (_gate)
        {
            var table = TableOf(kind);
            if (kind.IsNamespaced && _namespaces.Find(meta.NamespaceProperty ?? "") is null)
            {
                throw ApiErrors.NotFound(ResourceKind.Namespaces, meta.NamespaceProperty ?? "");
            }

            if (table.Find(kind.KeyOf(meta.NamespaceProperty, meta.Name)) is not null)
            {
                throw ApiErrors.AlreadyExists(kind, meta.Name);
            }

            meta.Uid = string.IsNullOrEmpty(meta.Uid) ? Guid.NewGuid().ToString() : meta.Uid;
            meta.CreationTimestamp ??= Now();
            if (kind.TracksGeneration)
            {
                meta.Generation = meta.Generation is null or 0 ? 1 : meta.Generation;
            }

            if (obj is V1Namespace ns)
            {
                ns.Status ??= new V1NamespaceStatus();
                ns.Status.Phase ??= "Active";
            }

            if (dryRun)
            {
                meta.ResourceVersion = null;
                return ObjectCodec.ToStored(kind, obj);
            }

            meta.ResourceVersion = Next();
            var stored = ObjectCodec.ToStored(kind, obj);
            table.Commit(new WatchEvent(ChangeType.Added, stored.ResourceVersion, stored));
            return stored;
        }
    }

    /// <summary>
    /// Replaces an object with what <paramref name="mutate"/> makes of the current one. When the result carries a
    /// resourceVersion it must be the current one (409 Conflict otherwise); identity fields cannot change.
    /// </summary>
    public StoredObject Update(ResourceKind kind, string? @namespace, string name,
        Func<IKubernetesObject<V1ObjectMeta>, IKubernetesObject<V1ObjectMeta>> mutate, bool dryRun = false)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(mutate);
        lock (_gate)
        {
            var table = TableOf(kind);
            var existing = table.Find(kind.KeyOf(@namespace, name)) ?? throw ApiErrors.NotFound(kind, name);
            var current = ObjectCodec.FromStored(kind, existing);
            var currentSpec = SpecJson(current);
            var updated = mutate(current);
            var meta = updated.Metadata ??= new V1ObjectMeta();
            if (!string.IsNullOrEmpty(meta.ResourceVersion) && meta.ResourceVersion != existing.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                throw ApiErrors.Conflict(kind, name);
            }

            var previousMeta = ObjectCodec.FromStored(kind, existing).Metadata;
            meta.Name = previousMeta.Name;
            meta.NamespaceProperty = previousMeta.NamespaceProperty;
            meta.Uid = previousMeta.Uid;
            meta.CreationTimestamp = previousMeta.CreationTimestamp;
            if (kind.TracksGeneration)
            {
                var generation = previousMeta.Generation ?? 1;
                meta.Generation = SpecJson(updated) == currentSpec ? generation : generation + 1;
            }

            if (dryRun)
            {
                meta.ResourceVersion = previousMeta.ResourceVersion;
                return ObjectCodec.ToStored(kind, updated);
            }

            meta.ResourceVersion = Next();
            var stored = ObjectCodec.ToStored(kind, updated);
            table.Commit(new WatchEvent(ChangeType.Modified, stored.ResourceVersion, stored, existing));
            return stored;
        }
    }

    /// <summary>Deletes an object (and, for a namespace, every job in it); returns it as it was last stored.</summary>
    public StoredObject Delete(ResourceKind kind, string? @namespace, string name, string? preconditionResourceVersion = null, string? preconditionUid = null, bool dryRun = false)
    {
        ArgumentNullException.ThrowIfNull(kind);
        lock (_gate)
        {
            var table = TableOf(kind);
            var existing = table.Find(kind.KeyOf(@namespace, name)) ?? throw ApiErrors.NotFound(kind, name);
            var existingRv = existing.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!string.IsNullOrEmpty(preconditionResourceVersion) && preconditionResourceVersion != existingRv)
            {
                throw ApiErrors.PreconditionConflict(kind, name, "ResourceVersion", preconditionResourceVersion, existingRv);
            }

            if (!string.IsNullOrEmpty(preconditionUid) && preconditionUid != existing.Uid)
            {
                throw ApiErrors.PreconditionConflict(kind, name, "UID", preconditionUid, existing.Uid);
            }

            if (dryRun)
            {
                return existing;
            }

            if (kind == ResourceKind.Namespaces)
            {
                foreach (var job in _jobs.Current.Where(j => j.Namespace == name).ToList())
                {
                    RemoveUnderLock(_jobs, job);
                }
            }

            RemoveUnderLock(table, existing);
            return existing;
        }
    }

    /// <summary>
    /// Opens a watch. Without a resourceVersion it starts with an ADDED for every current object (and, for
    /// WatchList, a BOOKMARK marking the end of them); with one it replays the history after it (410 when compacted).
    /// </summary>
    public WatchSubscription Watch(ResourceKind kind, string? @namespace, long? fromResourceVersion, bool markInitialEventsEnd = false)
    {
        ArgumentNullException.ThrowIfNull(kind);
        lock (_gate)
        {
            var table = TableOf(kind);
            var subscription = new WatchSubscription(kind, @namespace, RemoveWatcher);
            if (fromResourceVersion is { } rv)
            {
                if (rv < table.BaseResourceVersion)
                {
                    throw ApiErrors.TooOldWatch(rv, table.BaseResourceVersion);
                }

                foreach (var change in table.EventsAfter(rv))
                {
                    subscription.Offer(change);
                }
            }
            else
            {
                foreach (var stored in table.Current)
                {
                    subscription.Offer(new WatchEvent(ChangeType.Added, stored.ResourceVersion, stored));
                }

                if (markInitialEventsEnd)
                {
                    subscription.Offer(new WatchEvent(ChangeType.Bookmark, _resourceVersion, null, InitialEventsEnd: true));
                }
            }

            table.AddWatcher(subscription);
            return subscription;
        }
    }

    /// <summary>Queues a BOOKMARK at the current resourceVersion behind every event already queued for the watch.</summary>
    public void RequestBookmark(WatchSubscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        lock (_gate)
        {
            subscription.Offer(new WatchEvent(ChangeType.Bookmark, _resourceVersion, null));
        }
    }

    /// <summary>Ends every open watch (the host is stopping).</summary>
    public void CloseAllWatches()
    {
        lock (_gate)
        {
            foreach (var watcher in _jobs.Watchers.Concat(_namespaces.Watchers))
            {
                watcher.Complete();
            }
        }
    }

    private void RemoveWatcher(WatchSubscription subscription)
    {
        lock (_gate)
        {
            TableOf(subscription.Kind).RemoveWatcher(subscription);
        }
    }

    private void RemoveUnderLock(ResourceTable table, StoredObject existing)
    {
        var gone = ObjectCodec.FromStored(table.Kind, existing);
        gone.Metadata.ResourceVersion = Next();
        var stored = ObjectCodec.ToStored(table.Kind, gone);
        table.Commit(new WatchEvent(ChangeType.Deleted, stored.ResourceVersion, stored, existing));
    }

    private ResourceTable TableOf(ResourceKind kind) => kind == ResourceKind.Namespaces ? _namespaces : _jobs;

    private string Next() => (++_resourceVersion).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private DateTime Now()
    {
        var now = _time.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }

    private static string SpecJson(IKubernetesObject<V1ObjectMeta> obj) => obj switch
    {
        Dashboard.Model.PyTorchJobs.PyTorchJob { Spec: { } spec } => Convert.ToBase64String(Serialization.KubeJson.SerializeToUtf8Bytes(spec)),
        V1Namespace { Spec: { } spec } => Convert.ToBase64String(Serialization.KubeJson.SerializeToUtf8Bytes(spec)),
        _ => "",
    };
}
