using System.Globalization;
using Dashboard.Kubernetes.Query;
using Dashboard.Model;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace Dashboard.Components.Pages;

/// <summary>
/// The jobs grid. State lives in the URL (namespace, selector, search, sort, selected job); the page owns
/// one live subscription for (namespace, selector) and re-subscribes only when those change.
/// </summary>
public sealed partial class Jobs
{
    private JobListView _view = JobListView.Empty;
    private string? _search;
    private JobSort _sort = JobSort.Default;
    private bool _selectedRowFocused;

    [Inject]
    public required IJSRuntime JS { get; init; }

    [SupplyParameterFromQuery(Name = "search")]
    public string? Search { get; set; }

    [SupplyParameterFromQuery(Name = "sort")]
    public string? Sort { get; set; }

    [SupplyParameterFromQuery(Name = "job")]
    public string? SelectedJob { get; set; }

    // Rows re-render only when their age/duration text changes, so a one-second clock is cheap.
    protected override TimeSpan TickInterval => TimeSpan.FromSeconds(1);

    protected override string? NamespacesUnavailableNote => "Namespaces could not be listed; type one.";

    protected override async Task OnParametersSetAsync()
    {
        var search = string.IsNullOrEmpty(Search) ? null : Search;
        var sort = JobSort.Parse(Sort);
        var viewChanged = search != _search || sort != _sort;
        _search = search;
        _sort = sort;

        if (!await SubscribeIfChangedAsync() && viewChanged)
        {
            RebuildView();
        }
    }

    /// <summary>
    /// Back from a job's page (the URL names it), keyboard focus returns to its row rather than the page title:
    /// once, when the first interactive render has the rows.
    /// </summary>
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_selectedRowFocused || !RendererInfo.IsInteractive || SelectedJob is not { } key || _view.Rows.Count == 0)
        {
            return;
        }

        _selectedRowFocused = true;
        var index = IndexOfRow(key);
        if (index < 0)
        {
            return;
        }

        try
        {
            await JS.InvokeVoidAsync("dashboard.focusRow", key, index, Controls.JobGrid.RowHeight);
        }
        catch (JSDisconnectedException)
        {
            // The circuit went away meanwhile.
        }
    }

    private async Task FocusFirstRowAsync()
    {
        try
        {
            await JS.InvokeVoidAsync("dashboard.focusFirstRow");
        }
        catch (JSDisconnectedException)
        {
            // The circuit went away meanwhile.
        }
    }

    private int IndexOfRow(string key)
    {
        for (var i = 0; i < _view.Rows.Count; i++)
        {
            if (_view.Rows[i].Key == key)
            {
                return i;
            }
        }

        return -1;
    }

    protected override void OnSubscribed(LiveJobList live) => RebuildView();

    protected override void OnForbidden() => _view = JobListView.Empty;

    // Off the render thread: build the view here; the render thread takes it unless search or sort changed meanwhile.
    protected override Action PrepareBatch(LiveJobList live)
    {
        var search = _search;
        var sort = _sort;
        var view = live.Jobs.BuildView(search, sort, TimeProvider.GetUtcNow());
        return () => _view = search == _search && sort == _sort ? view : live.Jobs.BuildView(_search, _sort, Now);
    }

    private void RebuildView()
    {
        if (Live is { } live)
        {
            _view = live.Jobs.BuildView(_search, _sort, Now);
            Sync = live.Sync;
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
        if (!SelectorEditing.HasEquality(CurrentSelector, label.Key, label.Value))
        {
            NavigateTo(replace: false, selector: SelectorEditing.WithEquality(CurrentSelector, label.Key, label.Value));
        }
    }

    private void SelectJob(JobSummary job) =>
        Navigation.NavigateTo(DashboardUrls.JobsUrl(CurrentNamespace, CurrentSelector, _search, SortText(), job.Key), replace: true);

    private void OpenJob(JobSummary job)
    {
        // The grid's own history entry names the job first, so Back returns focus to its row.
        SelectJob(job);
        Navigation.NavigateTo(DashboardUrls.JobDetailUrl(job.Namespace, job.Name));
    }

    private void NavigateTo(bool replace, string? @namespace = null, string? selector = null) =>
        Navigation.NavigateTo(
            DashboardUrls.JobsUrl(@namespace ?? CurrentNamespace, selector ?? CurrentSelector, _search, SortText(), SelectedJob),
            replace: replace);

    private string? SortText() => _sort == JobSort.Default ? null : _sort.ToString();

    private string RowCountText() => _view.Rows.Count == _view.Total
        ? string.Create(CultureInfo.InvariantCulture, $"{_view.Total} jobs")
        : string.Create(CultureInfo.InvariantCulture, $"{_view.Rows.Count} of {_view.Total} jobs");

    private string EmptyText() => _view.Total > 0
        ? "No job matches the search."
        : NoJobsReason
        // The API lists an unknown namespace as empty: say it is the namespace that is missing, not the jobs.
        ?? (IsUnknownNamespace ? $"The cluster has no namespace \"{CurrentNamespace}\" (as of its namespace list). Pick one from the list."
        : "No PyTorchJobs here" + (CurrentSelector is null ? "." : " match the selector."));

    private bool IsUnknownNamespace =>
        CurrentNamespace is { } current && Namespaces.FromApi && !Namespaces.Namespaces.Contains(current, StringComparer.Ordinal);
}
