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

        _subscribedKey = key;
        await StopAsync();
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
        catch (NamespaceForbiddenException ex)
        {
            // A namespace this user may not read: a clear refusal, not "no such job".
            _forbidden = ex.Message;
            _refusalTitle = "403 Forbidden";
            _loading = false;
            return;
        }
        catch (InvalidNamespaceException ex)
        {
            _forbidden = ex.Message;
            _refusalTitle = "Invalid namespace";
            _loading = false;
            return;
        }
        catch (CacheLimitException ex)
        {
            _forbidden = ex.Message;
            _refusalTitle = "Too many namespaces open";
            _loading = false;
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
        if (_cts is { } cts)
        {
            await cts.CancelAsync();
        }

        if (_subscription is { } subscription)
        {
            await subscription.DisposeAsync();
        }

        await _loop;
        _cts?.Dispose();
        _cts = null;
        _subscription = null;
    }

    public async ValueTask DisposeAsync()
    {
        _ticker?.Dispose();
        await StopAsync();
    }
}
