using Dashboard.Kubernetes.Query;
using Dashboard.Model;
using Dashboard.Model.Selectors;
using Dashboard.Security;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Components.Pages;

/// <summary>The jobs of a namespace as bars over time, with the same namespace and label filter as the grid.</summary>
public sealed partial class Timeline : IAsyncDisposable
{
    private static readonly TimeSpan s_tick = TimeSpan.FromSeconds(5);
    private static readonly JobState[] s_legend = [JobState.Created, JobState.Running, JobState.Restarting, JobState.Succeeded, JobState.Failed, JobState.Suspended];

    private readonly CancellationTokenSource _disposed = new();
    private LiveJobList? _live;
    private IReadOnlyList<JobSummary> _jobs = [];
    private SyncStatus _sync = new(SyncPhase.Syncing);
    private NamespaceListing _namespaces = new([], false, null);
    private string? _namespace;
    private string? _labelSelector;
    private string? _selectorError;
    private DateTimeOffset _now;
    private ITimer? _ticker;
    private bool _subscribedOnce;
    private IJobQueryService? _userQueries;
    private string? _forbidden;

    [Inject]
    public required IJobQueryService Queries { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [Inject]
    public required TimeProvider TimeProvider { get; init; }

    [Inject]
    public required ILogger<Timeline> Logger { get; init; }

    [Inject]
    public required IServiceProvider Services { get; init; }

    private IJobQueryService UserQueries => _userQueries ?? Queries;

    [SupplyParameterFromQuery(Name = "namespace")]
    public string? Namespace { get; set; }

    [SupplyParameterFromQuery(Name = "labelSelector")]
    public string? LabelSelector { get; set; }

    protected override async Task OnInitializedAsync()
    {
        _now = TimeProvider.GetUtcNow();
        _ticker = TimeProvider.CreateTimer(_ => _ = TickAsync(), null, s_tick, s_tick);
        _userQueries = await PageAccess.ForCurrentUserAsync(Queries, Services);
        try
        {
            _namespaces = await UserQueries.GetNamespacesAsync(_disposed.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "Listing namespaces failed");
        }
    }

    protected override async Task OnParametersSetAsync()
    {
        var @namespace = string.IsNullOrWhiteSpace(Namespace) ? null : Namespace.Trim();
        var selector = string.IsNullOrWhiteSpace(LabelSelector) ? null : LabelSelector.Trim();
        if (_subscribedOnce && @namespace == _namespace && selector == _labelSelector)
        {
            return;
        }

        _subscribedOnce = true;
        _namespace = @namespace;
        _labelSelector = selector;
        if (_live is { } previous)
        {
            _live = null;
            await previous.DisposeAsync();
        }

        try
        {
            _forbidden = null;
            _live = await LiveJobList.StartAsync(UserQueries, _namespace, _labelSelector, OnBatchAsync, Logger, _disposed.Token);
            _selectorError = null;
            _jobs = _live.Jobs.All();
            _sync = _live.Sync;
        }
        catch (SelectorParseException ex)
        {
            _selectorError = ex.Message;
        }
        catch (NamespaceForbiddenException ex)
        {
            _forbidden = ex.Message;
            _jobs = [];
        }
    }

    private async Task OnBatchAsync()
    {
        var live = _live;
        if (live is null)
        {
            return;
        }

        var jobs = live.Jobs.All();
        try
        {
            await InvokeAsync(() =>
            {
                if (ReferenceEquals(live, _live))
                {
                    _jobs = jobs;
                    _sync = live.Sync;
                    _now = TimeProvider.GetUtcNow();
                    StateHasChanged();
                }
            });
        }
        catch (ObjectDisposedException)
        {
            // The circuit is gone.
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

    private void OnNamespaceChanged(string? @namespace) => Navigation.NavigateTo(DashboardUrls.TimelineUrl(@namespace, _labelSelector));

    private void OnSelectorChanged(string selector) => Navigation.NavigateTo(DashboardUrls.TimelineUrl(_namespace, selector));

    public async ValueTask DisposeAsync()
    {
        _ticker?.Dispose();
        await _disposed.CancelAsync();
        if (_live is { } live)
        {
            _live = null;
            await live.DisposeAsync();
        }

        _disposed.Dispose();
    }
}
