using Dashboard.Kubernetes.Query;
using Dashboard.Model;

namespace Dashboard.Components.Pages;

/// <summary>The jobs of a namespace as bars over time, with the same namespace and label filter as the grid.</summary>
public sealed partial class Timeline
{
    private static readonly JobState[] s_legend = [JobState.Created, JobState.Running, JobState.Restarting, JobState.Succeeded, JobState.Failed, JobState.Suspended];

    private IReadOnlyList<JobSummary> _jobs = [];

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

    private void OnNamespaceChanged(string? @namespace) => Navigation.NavigateTo(DashboardUrls.TimelineUrl(@namespace, CurrentSelector));

    private void OnSelectorChanged(string selector) => Navigation.NavigateTo(DashboardUrls.TimelineUrl(CurrentNamespace, selector));
}
