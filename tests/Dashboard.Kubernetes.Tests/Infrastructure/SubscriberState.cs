using Dashboard.Kubernetes.Query;

namespace Dashboard.Kubernetes.Tests.Infrastructure;

/// <summary>Folds a subscription's snapshot and batches into a state, as a UI would, checking each batch.</summary>
public sealed class SubscriberState : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, JobSummary> _jobs = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    private SyncStatus _sync;

    public SubscriberState(JobSubscription subscription)
    {
        Subscription = subscription;
        foreach (var job in subscription.Snapshot.Jobs)
        {
            if (!_jobs.TryAdd(job.Key, job))
            {
                Errors.Add("duplicate in snapshot: " + job.Key);
            }
        }

        _sync = subscription.Snapshot.Sync;
        _reader = Task.Run(ReadAsync);
    }

    public JobSubscription Subscription { get; }

    public List<string> Errors { get; } = [];

    public int Batches { get; private set; }

    public int Changes { get; private set; }

    public List<SyncStatus> Statuses { get; } = [];

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

    public IReadOnlyDictionary<string, string> ResourceVersions()
    {
        lock (_gate)
        {
            return _jobs.ToDictionary(j => j.Key, j => j.Value.ResourceVersion, StringComparer.Ordinal);
        }
    }

    private async Task ReadAsync()
    {
        try
        {
            await foreach (var batch in Subscription.Changes.WithCancellation(_stop.Token))
            {
                lock (_gate)
                {
                    Batches++;
                    Changes += batch.Changes.Count;
                    var keys = new HashSet<string>(StringComparer.Ordinal);
                    foreach (var change in batch.Changes)
                    {
                        var key = change.Namespace + "/" + change.Name;
                        if (!keys.Add(key))
                        {
                            Errors.Add("key twice in one batch: " + key);
                        }

                        if (change.Kind == JobChangeKind.Upsert)
                        {
                            _jobs[key] = change.Job ?? throw new InvalidOperationException("upsert without job");
                        }
                        else
                        {
                            _jobs.Remove(key);
                        }
                    }

                    _sync = batch.Sync;
                    Statuses.Add(batch.Sync);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            lock (_gate)
            {
                Errors.Add("reader failed: " + exception);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reader;
        await Subscription.DisposeAsync();
        _stop.Dispose();
    }
}
