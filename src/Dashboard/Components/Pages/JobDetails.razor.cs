using Dashboard.Kubernetes.Query;
using Dashboard.Model;
using Dashboard.Security;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Components.Pages;

/// <summary>
/// One job, live. A job deleted while open keeps its last state on screen, marked deleted.
/// </summary>
public sealed partial class JobDetails : IAsyncDisposable
{
    private static readonly TimeSpan s_tick = TimeSpan.FromSeconds(1);

    private CancellationTokenSource? _cts;
    private JobDetailSubscription? _subscription;
    private Task _loop = Task.CompletedTask;
    private JobDetailView? _view;
    private SyncStatus _sync = new(SyncPhase.Syncing);
    private bool _deleted;
    private bool _loading = true;
    private DateTimeOffset _now;
    private ITimer? _ticker;
    private string? _subscribedKey;
    private string? _forbidden;
    private string _refusalTitle = "403 Forbidden";
    private int _generation;

    [Parameter]
    public required string Namespace { get; set; }

    [Parameter]
    public required string Name { get; set; }

    [Inject]
    public required IJobQueryService Queries { get; init; }

    [Inject]
    public required TimeProvider TimeProvider { get; init; }

    [Inject]
    public required ILogger<JobDetails> Logger { get; init; }

    [Inject]
    public required IServiceProvider Services { get; init; }

    protected override void OnInitialized()
    {
        _now = TimeProvider.GetUtcNow();
        _ticker = TimeProvider.CreateTimer(_ => _ = TickAsync(), null, s_tick, s_tick);
    }

    protected override async Task OnParametersSetAsync()
    {
        var key = Namespace + "/" + Name;
        if (key == _subscribedKey)
        {
            return;
        }

        // Blazor may set parameters again while this awaits (quick navigation between jobs): a call that finds a
        // newer one running gives up and disposes what it made, so exactly one subscription is left.
        var generation = ++_generation;
        _subscribedKey = key;
        await StopAsync();
        if (generation != _generation)
        {
            return;
        }

        _view = null;
        _deleted = false;
        _loading = true;

        var cts = new CancellationTokenSource();
        _cts = cts;
        JobDetailSubscription subscription;
        try
        {
            _forbidden = null;
            var queries = await PageAccess.ForCurrentUserAsync(Queries, Services);
            subscription = await queries.SubscribeJobAsync(Namespace, Name, cts.Token);
        }
        catch (Exception ex) when (generation != _generation && (ex is OperationCanceledException || QueryRefusal.From(ex) is not null))
        {
            // Superseded: the newer call shows its own outcome.
            return;
        }
        catch (Exception ex) when (QueryRefusal.From(ex) is { } refusal)
        {
            // A clear refusal, not "no such job".
            _forbidden = refusal.Message;
            _refusalTitle = refusal.Title;
            _loading = false;
            return;
        }

        if (generation != _generation)
        {
            await subscription.DisposeAsync();
            return;
        }

        _subscription = subscription;
        _sync = subscription.Sync;
        _loading = false;
        if (subscription.Current is { } current)
        {
            _view = JobDetailView.From(current);
            _deleted = current.Deleted;
        }

        _loop = Task.Run(() => ConsumeAsync(subscription, cts.Token), CancellationToken.None);
    }

    private async Task ConsumeAsync(JobDetailSubscription subscription, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var update in subscription.Updates.WithCancellation(cancellationToken))
            {
                // Derived views (replicas, timeline, YAML) are built here, off the render thread.
                var view = update.Detail is { } detail ? JobDetailView.From(detail) : null;
                await InvokeAsync(() =>
                {
                    _sync = update.Sync;
                    if (view is not null)
                    {
                        _view = view;
                        _deleted = view.Detail.Deleted;
                    }
                    else if (_view is not null)
                    {
                        // The job vanished from the cache: keep what we had, marked deleted.
                        _deleted = true;
                    }

                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Navigated away or to another job.
        }
        catch (ObjectDisposedException)
        {
            // The circuit is gone.
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Updates for job {Namespace}/{Name} stopped", Namespace, Name);
        }
    }

    private async Task TickAsync()
    {
        try
        {
            await InvokeAsync(() =>
            {
                _now = TimeProvider.GetUtcNow();
                StateHasChanged();
            });
        }
        catch (ObjectDisposedException)
        {
            // The circuit went away between two ticks.
        }
    }

    private async Task StopAsync()
    {
        // Take everything before the first await: a call racing with this one finds nothing to stop twice.
        var (cts, subscription, loop) = (_cts, _subscription, _loop);
        (_cts, _subscription, _loop) = (null, null, Task.CompletedTask);
        if (cts is not null)
        {
            await cts.CancelAsync();
        }

        if (subscription is not null)
        {
            await subscription.DisposeAsync();
        }

        await loop;
        cts?.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        _ticker?.Dispose();
        _generation++; // a subscribe still in flight disposes what it gets
        await StopAsync();
    }
}
