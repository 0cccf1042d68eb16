using Bunit;
using Dashboard.Components.Controls;
using Dashboard.Components.Pages;
using Dashboard.Kubernetes.Query;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Tests.Components;

public sealed class TimelineTests : DashboardTestContext
{
    [Fact]
    public void Jobs_are_bars_from_start_to_completion_or_now_coloured_by_state()
    {
        IReadOnlyList<JobSummary> jobs =
        [
            TestJobs.Summary("finished", state: JobState.Succeeded, age: TimeSpan.FromHours(2)),
            TestJobs.Summary("running", state: JobState.Running, age: TimeSpan.FromHours(1)),
        ];

        var cut = Render<TimelineChart>(ps => ps.Add(p => p.Jobs, jobs).Add(p => p.Now, TestJobs.Now));
        cut.Find("[data-testid=timeline-window]").Change("all");

        var bars = cut.FindAll("[data-testid=timeline-bar]");
        Assert.Equal(2, bars.Count);
        var finished = cut.Find("[data-job='team-a/finished'] [data-testid=timeline-bar]");
        var running = cut.Find("[data-job='team-a/running'] [data-testid=timeline-bar]");
        Assert.Contains("state-succeeded", finished.ClassName);
        Assert.Contains("state-running", running.ClassName);
        Assert.Contains("running", running.ClassList);
        // The oldest start is the left edge; the running job reaches now (the right edge).
        Assert.StartsWith("left: 0%", finished.GetAttribute("style"), StringComparison.Ordinal);
        Assert.Contains("until now", running.GetAttribute("aria-label"), StringComparison.Ordinal);
        var runningStyle = running.GetAttribute("style")!;
        Assert.Contains("width: 49.", runningStyle, StringComparison.Ordinal);
    }

    [Fact]
    public void The_page_honours_the_label_filter_and_updates_live()
    {
        Queries.Jobs.Add(TestJobs.Summary("mnist", labels: TestJobs.Labels("team=vision")));
        Queries.Jobs.Add(TestJobs.Summary("bert", labels: TestJobs.Labels("team=nlp")));
        Navigation.NavigateTo("/timeline?namespace=team-a&labelSelector=team%3Dvision");

        var cut = Render<Timeline>();

        Assert.Equal(["team-a/mnist"], cut.FindAll("[data-testid=timeline-bar-row]").Select(r => r.GetAttribute("data-job")));
        Assert.Equal(("team-a", "team=vision"), (Queries.ActiveSubscriptions.Single().Namespace, Queries.ActiveSubscriptions.Single().LabelSelector));
        Assert.Equal("/jobs?namespace=team-a&labelSelector=team%3Dvision", cut.Find("[data-testid=jobs-link]").GetAttribute("href"));

        Queries.Publish(JobChange.Upsert(TestJobs.Summary("mnist-2", labels: TestJobs.Labels("team=vision"))));
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=timeline-bar]").Count), WaitTimeout);
    }

    [Fact]
    public void The_automatic_window_keeps_one_ancient_job_from_squashing_the_rest()
    {
        var jobs = Enumerable.Range(1, 12).Select(i => TestJobs.Summary($"recent-{i:00}", age: TimeSpan.FromMinutes(5 * i))).ToList();
        jobs.Add(TestJobs.Summary("ancient", state: JobState.Created, age: TimeSpan.FromDays(2500)));

        var cut = Render<TimelineChart>(ps => ps.Add(p => p.Jobs, jobs).Add(p => p.Now, TestJobs.Now));

        Assert.Equal(TimeSpan.FromHours(1).TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), cut.Find("[data-testid=timeline]").GetAttribute("data-window"));
        // Still shown (it has not finished), clipped at the left edge; jobs that ended before the window are left out.
        Assert.Equal("true", cut.Find("[data-job='team-a/ancient'] [data-testid=timeline-bar]").GetAttribute("data-clipped"));
        Assert.Equal("false", cut.Find("[data-job='team-a/recent-01'] [data-testid=timeline-bar]").GetAttribute("data-clipped"));

        cut.Find("[data-testid=timeline-window]").Change("all");
        Assert.Equal("all", cut.Find("[data-testid=timeline]").GetAttribute("data-window"));
        Assert.All(cut.FindAll("[data-testid=timeline-bar]"), b => Assert.Equal("false", b.GetAttribute("data-clipped")));
    }

    [Fact]
    public void No_started_jobs()
    {
        var cut = Render<TimelineChart>(ps => ps.Add(p => p.Jobs, Array.Empty<JobSummary>()).Add(p => p.Now, TestJobs.Now));

        Assert.NotNull(cut.Find("[data-testid=timeline-empty]"));
    }
}
