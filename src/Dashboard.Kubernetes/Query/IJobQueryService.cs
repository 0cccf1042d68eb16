namespace Dashboard.Kubernetes.Query;

/// <summary>
/// The one way components, the hub and the JSON API read PyTorchJobs: a snapshot from the shared
/// per-namespace cache plus a stream of change batches. Nothing above this calls the Kubernetes API.
/// </summary>
public interface IJobQueryService
{
    /// <summary>What the dashboard is connected to.</summary>
    ConnectionInfo Connection { get; }

    /// <summary>
    /// Subscribes to the jobs of <paramref name="namespace"/> (null or empty: all namespaces) that match
    /// <paramref name="labelSelector"/> (null or empty: all). Starts the namespace's cache if needed.
    /// </summary>
    /// <exception cref="Dashboard.Model.Selectors.SelectorParseException">The selector is malformed; the message is the API server's.</exception>
    Task<JobSubscription> SubscribeAsync(string? @namespace, string? labelSelector, CancellationToken cancellationToken);

    /// <summary>Subscribes to one job: its full object and observed history, refreshed on every change.</summary>
    Task<JobDetailSubscription> SubscribeJobAsync(string @namespace, string name, CancellationToken cancellationToken);

    /// <summary>Namespaces to offer: from the API when the identity may list them, else from configuration.</summary>
    Task<NamespaceListing> GetNamespacesAsync(CancellationToken cancellationToken);
}

/// <summary>
/// A live view of a cache: <see cref="Snapshot"/> then <see cref="Changes"/>, which ends when the subscription
/// is disposed or the token given to the enumerator is cancelled. Disposing releases the subscription.
/// </summary>
public sealed class JobSubscription(JobSnapshot snapshot, IAsyncEnumerable<JobChangeBatch> changes, Func<ValueTask> release) : IAsyncDisposable
{
    private int _released;

    public JobSnapshot Snapshot { get; } = snapshot;

    public IAsyncEnumerable<JobChangeBatch> Changes { get; } = changes;

    public ValueTask DisposeAsync() => Interlocked.Exchange(ref _released, 1) == 0 ? release() : ValueTask.CompletedTask;
}

/// <summary>One job's live detail: <see cref="Current"/> (null if the job is unknown so far), then every new state.</summary>
public sealed class JobDetailSubscription(JobDetail? current, SyncStatus sync, IAsyncEnumerable<JobDetailUpdate> updates, Func<ValueTask> release) : IAsyncDisposable
{
    private int _released;

    public JobDetail? Current { get; } = current;

    public SyncStatus Sync { get; } = sync;

    public IAsyncEnumerable<JobDetailUpdate> Updates { get; } = updates;

    public ValueTask DisposeAsync() => Interlocked.Exchange(ref _released, 1) == 0 ? release() : ValueTask.CompletedTask;
}
