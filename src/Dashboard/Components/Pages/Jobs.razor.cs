using System.Globalization;
using Dashboard.Kubernetes.Query;
using Dashboard.Model;
using Dashboard.Model.Selectors;
using Dashboard.Security;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Components.Pages;

/// <summary>
/// The jobs grid. State lives in the URL (namespace, selector, search, sort, selected job); the page owns
/// one live subscription for (namespace, selector) and re-subscribes only when those change.
/// </summary>
public sealed partial class Jobs : IAsyncDisposable
{
    private static readonly TimeSpan s_tick = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _disposed = new();
    private LiveJobList? _live;
    private JobListView _view = JobListView.Empty;
    private SyncStatus _sync = new(SyncPhase.Syncing);
    private NamespaceListing _namespaces = new([], false, null);
    private string? _namespace;
    private string? _labelSelector;
    private string? _search;
    private JobSort _sort = JobSort.Default;
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
    public required ILogger<Jobs> Logger { get; init; }

    [Inject]
    public required IServiceProvider Services { get; init; }

    /// <summary>The queries as this user may make them (namespaces they may not read are refused or left out).</summary>
    private IJobQueryService UserQueries => _userQueries ?? Queries;

    [SupplyParameterFromQuery(Name = "namespace")]
    public string? Namespace { get; set; }

    [SupplyParameterFromQuery(Name = "labelSelector")]
    public string? LabelSelector { get; set; }

    [SupplyParameterFromQuery(Name = "search")]
    public string? Search { get; set; }

    [SupplyParameterFromQuery(Name = "sort")]
    public string? Sort { get; set; }

    [SupplyParameterFromQuery(Name = "job")]
    public string? SelectedJob { get; set; }

    protected override async Task OnInitializedAsync()
    {
        _now = TimeProvider.GetUtcNow();
        // One page-level clock: rows re-render only when their age/duration text changes.
        _ticker = TimeProvider.CreateTimer(_ => _ = TickAsync(), null, s_tick, s_tick);
        _userQueries = await PageAccess.ForCurrentUserAsync(Queries, Services);
        try
        {
            _namespaces = await UserQueries.GetNamespacesAsync(_disposed.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "Listing namespaces failed");
            _namespaces = new NamespaceListing([], false, "Namespaces could not be listed; type one.");
        }
    }

    protected override async Task OnParametersSetAsync()
    {
        var search = string.IsNullOrEmpty(Search) ? null : Search;
        var sort = JobSort.Parse(Sort);
        var viewChanged = search != _search || sort != _sort;
        _search = search;
        _sort = sort;

        var @namespace = Normalize(Namespace);
        var selector = Normalize(LabelSelector);
        if (!_subscribedOnce || @namespace != _namespace || selector != _labelSelector)
        {
            _subscribedOnce = true;
            _namespace = @namespace;
            _labelSelector = selector;
            await SubscribeAsync();
        }
        else if (viewChanged)
        {
            RebuildView();
        }
    }

    private async Task SubscribeAsync()
    {
        var previous = _live;
        _live = null;
        if (previous is not null)
        {
            await previous.DisposeAsync();
        }

        try
        {
            _forbidden = null;
            var live = await LiveJobList.StartAsync(UserQueries, _namespace, _labelSelector, OnBatchAsync, Logger, _disposed.Token);
            _live = live;
            _sync = live.Sync;
            _selectorError = null;
        }
        catch (NamespaceForbiddenException ex)
        {
            // A namespace this user may not read: say so plainly instead of showing an empty grid.
            _forbidden = ex.Message;
            _view = JobListView.Empty;
            return;
        }
        catch (SelectorParseException ex)
        {
            // A malformed selector in the URL: say so, and leave the grid as it was.
            _selectorError = ex.Message;
            return;
        }

        RebuildView();
    }

    // Called off the render thread after each batch: build the view here, hand it over through InvokeAsync.
    private async Task OnBatchAsync()
    {
        var live = _live;
        if (live is null)
        {
            return;
        }

        var search = _search;
        var sort = _sort;
        var view = live.Jobs.BuildView(search, sort, TimeProvider.GetUtcNow());
        try
        {
            await InvokeAsync(() =>
            {
                if (!ReferenceEquals(live, _live))
                {
                    return;
                }

                // The search or sort changed while the view was being built: build it again here.
                _view = search == _search && sort == _sort ? view : live.Jobs.BuildView(_search, _sort, _now);
                _sync = live.Sync;
                StateHasChanged();
            });
        }
        catch (ObjectDisposedException)
        {
            // The circuit is gone; DisposeAsync stops the loop.
        }
    }

    private void RebuildView()
    {
        if (_live is { } live)
        {
            _view = live.Jobs.BuildView(_search, _sort, _now);
            _sync = live.Sync;
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

    private void OnSearchInput(ChangeEventArgs e)
    {
        _search = e.Value is string { Length: > 0 } text ? text : null;
        RebuildView();
        NavigateTo(replace: true);
    }

    private void OnSortChanged(JobSort sort)
    {
        _sort = sort;
        RebuildView();
        NavigateTo(replace: false);
    }

    private Task OnNamespaceChangedAsync(string? @namespace)
    {
        NavigateTo(replace: false, @namespace: @namespace ?? "");
        return Task.CompletedTask;
    }

    private void OnSelectorChanged(string selector) => NavigateTo(replace: false, selector: selector);

    private void AddLabel(KeyValuePair<string, string> label)
    {
        if (!SelectorEditing.HasEquality(_labelSelector, label.Key, label.Value))
        {
            NavigateTo(replace: false, selector: SelectorEditing.WithEquality(_labelSelector, label.Key, label.Value));
        }
    }

    private void SelectJob(JobSummary job) =>
        Navigation.NavigateTo(DashboardUrls.JobsUrl(_namespace, _labelSelector, _search, SortText(), job.Key), replace: true);

    private void OpenJob(JobSummary job) => Navigation.NavigateTo(DashboardUrls.JobDetailUrl(job.Namespace, job.Name));

    private void NavigateTo(bool replace, string? @namespace = null, string? selector = null) =>
        Navigation.NavigateTo(
            DashboardUrls.JobsUrl(@namespace ?? _namespace, selector ?? _labelSelector, _search, SortText(), SelectedJob),
            replace: replace);

    private string? SortText() => _sort == JobSort.Default ? null : _sort.ToString();

    private string RowCountText() => _view.Rows.Count == _view.Total
        ? string.Create(CultureInfo.InvariantCulture, $"{_view.Total} jobs")
        : string.Create(CultureInfo.InvariantCulture, $"{_view.Rows.Count} of {_view.Total} jobs");

    private string EmptyText() => _view.Total > 0
        ? "No job matches the search."
        : _sync.Phase == SyncPhase.Syncing ? "Loading jobs…" : "No PyTorchJobs here" + (_labelSelector is null ? "." : " match the selector.");

    private static string? Normalize(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

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
