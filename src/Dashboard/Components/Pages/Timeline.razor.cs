using Dashboard.Kubernetes.Query;
using Dashboard.Model;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Components.Pages;

/// <summary>
/// The jobs of a namespace as bars over time, with the same namespace and label filter as the grid. The time
/// window is in the URL too (<c>window</c>: seconds or <c>all</c>; absent = automatic) so a shared link shows the same view.
/// </summary>
public sealed partial class Timeline
{
    private IReadOnlyList<JobSummary> _jobs = [];

    [SupplyParameterFromQuery(Name = "window")]
    public string? Window { get; set; }

    protected override TimeSpan TickInterval => TimeSpan.FromSeconds(5);

    protected override void OnSubscribed(LiveJobList live) => _jobs = live.Jobs.All();

    protected override void OnForbidden() => _jobs = [];

    protected override Action PrepareBatch(LiveJobList live)
    {
        var jobs = live.Jobs.All();
        return () =>
        {
            _jobs = jobs;
            Now = TimeProvider.GetUtcNow();
        };
    }

    // The window is a view setting like sort on the grid: replace the history entry, one per pick would be spam.
    private void OnWindowChanged(string? window) =>
        Navigation.NavigateTo(DashboardUrls.TimelineUrl(CurrentNamespace, CurrentSelector, window), replace: true);

    private void OnNamespaceChanged(string? @namespace) => Navigation.NavigateTo(DashboardUrls.TimelineUrl(@namespace, CurrentSelector, CanonicalWindow()));

    private void OnSelectorChanged(string selector) => Navigation.NavigateTo(DashboardUrls.TimelineUrl(CurrentNamespace, selector, CanonicalWindow()));

    private string? CanonicalWindow()
    {
        var (auto, window) = TimelineLayout.ParseWindow(Window);
        return TimelineLayout.FormatWindow(auto, window);
    }
}
