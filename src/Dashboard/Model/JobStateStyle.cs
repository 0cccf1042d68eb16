using Dashboard.Kubernetes.Query;

namespace Dashboard.Model;

/// <summary>How each job state is shown: its CSS class (colours live in app.css, one per theme) and label.</summary>
public static class JobStateStyle
{
    public static string CssClass(JobState state) => "state-" + state.ToString().ToLowerInvariant();

    public static string Label(JobState state) => state == JobState.Unknown ? "Unknown" : state.ToString();

    /// <summary>Sort rank: what needs attention first when sorting by state.</summary>
    public static int Rank(JobState state) => state switch
    {
        JobState.Failed => 0,
        JobState.Restarting => 1,
        JobState.Running => 2,
        JobState.Created => 3,
        JobState.Suspended => 4,
        JobState.Succeeded => 5,
        _ => 6,
    };

    public static bool IsFinished(JobState state) => state is JobState.Succeeded or JobState.Failed;
}
