using Dashboard.Kubernetes.Query;
using Microsoft.Extensions.Logging;

namespace Dashboard.Model;

/// <summary>
/// One page's live copy of a subscription: the snapshot, then every change batch applied as it arrives,
/// off the render thread. <paramref name="onChanged"/> is called after each batch; the page marshals back
/// to its renderer from there (InvokeAsync). Disposing cancels the loop and releases the subscription.
/// </summary>
public sealed class LiveJobList : IAsyncDisposable
{
    private readonly JobSubscription _subscription;
    private readonly CancellationTokenSource _cts = new();
    private readonly Func<Task> _onChanged;
    private readonly ILogger _logger;
    private Task _loop = Task.CompletedTask;
    private volatile SyncStatus _sync;

    private LiveJobList(JobSubscription subscription, string? @namespace, string? labelSelector, Func<Task> onChanged, ILogger logger)
    {
        _subscription = subscription;
        _onChanged = onChanged;
        _logger = logger;
        _sync = subscription.Snapshot.Sync;
        Namespace = @namespace;
        LabelSelector = labelSelector;
        Jobs.Reset(subscription.Snapshot.Jobs);
    }

    public string? Namespace { get; }

    public string? LabelSelector { get; }

    public JobListState Jobs { get; } = new();

    public SyncStatus Sync => _sync;

    /// <exception cref="Dashboard.Model.Selectors.SelectorParseException">The selector is malformed.</exception>
    public static async Task<LiveJobList> StartAsync(IJobQueryService queries, string? @namespace, string? labelSelector, Func<Task> onChanged, ILogger logger, CancellationToken cancellationToken)
    {
        var subscription = await queries.SubscribeAsync(@namespace, labelSelector, cancellationToken);
        var live = new LiveJobList(subscription, @namespace, labelSelector, onChanged, logger);
        live._loop = Task.Run(live.ConsumeAsync, CancellationToken.None);
        return live;
    }

    private async Task ConsumeAsync()
    {
        var token = _cts.Token;
        try
        {
            await foreach (var batch in _subscription.Changes.WithCancellation(token))
            {
                Jobs.Apply(batch.Changes);
                _sync = batch.Sync;
                await _onChanged();
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Disposed: the page went away or changed its subscription.
        }
        catch (Exception ex)
        {
            // Not swallowed silently: the page keeps its last rows and the log says why updates stopped.
            _logger.LogError(ex, "Job updates for namespace {Namespace} stopped", Namespace ?? "(all)");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        await _subscription.DisposeAsync();
        try
        {
            await _loop;
        }
        finally
        {
            _cts.Dispose();
        }
    }
}
