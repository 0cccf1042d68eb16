using System.Globalization;
using Bunit;
using Bunit.TestDoubles;
using Dashboard.Components.Controls;
using Dashboard.Components.Pages;
using Dashboard.Kubernetes.Query;
using Dashboard.Model;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Components;

public sealed class TimelineTests : DashboardTestContext
{
    private static readonly DateTimeOffset s_oddTime = new(2026, 11, 27, 10, 19, 47, TimeSpan.Zero);

    [Fact]
    public void Jobs_are_bars_from_creation_to_completion_or_now_coloured_by_state_from_their_start()
    {
        IReadOnlyList<JobSummary> jobs =
        [
            TestJobs.Summary("finished", state: JobState.Succeeded, age: TimeSpan.FromHours(2)),
            TestJobs.Summary("running", state: JobState.Running, age: TimeSpan.FromHours(1)),
        ];

        var cut = RenderChart(jobs);
        cut.Find("[data-testid=timeline-window]").Change("all");

        Assert.Equal(2, cut.FindAll("[data-testid=timeline-bar]").Count);
        var finished = cut.Find("[data-job='team-a/finished'] [data-testid=timeline-bar]");
        var running = cut.Find("[data-job='team-a/running'] [data-testid=timeline-bar]");
        Assert.Contains("state-succeeded", finished.QuerySelector("[data-testid=timeline-started]")!.ClassList);
        Assert.Contains("state-running", running.QuerySelector("[data-testid=timeline-started]")!.ClassList);
        Assert.Contains("running", running.ClassList);
        Assert.DoesNotContain("running", finished.ClassList);
        // The oldest creation is the left edge; the running job reaches now (the right edge).
        Assert.StartsWith("left: 0%", finished.GetAttribute("style"), StringComparison.Ordinal);
        Assert.Contains("until now", running.GetAttribute("aria-label"), StringComparison.Ordinal);
        Assert.Contains("width: 50%", running.GetAttribute("style"), StringComparison.Ordinal);
        // Created 30 s before it started: a short waiting segment (30 s of the hour-long bar) precedes the colour.
        Assert.Equal("width: 0.833%", running.QuerySelector("[data-testid=timeline-waiting]")!.GetAttribute("style"));
    }

    [Fact]
    public void A_job_not_started_yet_is_all_waiting_and_has_no_state_coloured_segment()
    {
        var waiting = TestJobs.Summary("queued", state: JobState.Created, age: TimeSpan.FromMinutes(20)) with { StartTime = null };
        var unknown = TestJobs.Summary("mystery", state: JobState.Unknown, age: TimeSpan.FromMinutes(5)) with { StartTime = null };

        var cut = RenderChart([waiting, unknown, TestJobs.Summary("busy", age: TimeSpan.FromMinutes(10))]);

        foreach (var key in new[] { "team-a/queued", "team-a/mystery" })
        {
            var bar = cut.Find($"[data-job='{key}'] [data-testid=timeline-bar]");
            Assert.Equal("width: 100%", bar.QuerySelector("[data-testid=timeline-waiting]")!.GetAttribute("style"));
            Assert.Null(bar.QuerySelector("[data-testid=timeline-started]"));
            Assert.Contains("not started yet", bar.GetAttribute("aria-label"), StringComparison.Ordinal);
            Assert.Contains("running", bar.ClassList); // still going: it reaches now
        }

        // The bar begins at creation: 20 minutes of the 1-hour automatic window.
        var queued = cut.Find("[data-job='team-a/queued'] [data-testid=timeline-bar]");
        Assert.Equal("left: 66.667%; width: 33.333%", queued.GetAttribute("style"));
        Assert.NotNull(cut.Find("[data-job='team-a/busy'] [data-testid=timeline-started]"));
    }

    [Fact]
    public void A_job_that_finished_without_starting_is_all_waiting_and_says_so()
    {
        var refused = TestJobs.Summary("refused", state: JobState.Failed, age: TimeSpan.FromMinutes(20)) with { StartTime = null };

        var cut = RenderChart([refused]);

        var bar = cut.Find("[data-job='team-a/refused'] [data-testid=timeline-bar]");
        Assert.Null(bar.QuerySelector("[data-testid=timeline-started]"));
        Assert.NotNull(bar.QuerySelector("[data-testid=timeline-waiting]"));
        Assert.DoesNotContain("running", bar.ClassList);
        Assert.Contains("Failed, created 2026-11-27 11:40:00 UTC, never started, to 2026-11-27 11:59:00 UTC", bar.GetAttribute("aria-label"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_legend_names_every_colour_a_bar_can_have()
    {
        var jobs = Enum.GetValues<JobState>()
            .Select((state, i) => TestJobs.Summary("job-" + state.ToString().ToLowerInvariant(), state: state, age: TimeSpan.FromMinutes(5 + i)))
            .Append(TestJobs.Summary("queued", state: JobState.Created) with { StartTime = null })
            .ToList();

        var cut = RenderChart(jobs);

        var legend = cut.FindAll("[data-testid=timeline-legend-item]").Select(i => i.GetAttribute("data-colour")!).ToHashSet();
        var used = cut.FindAll(".timeline-segment")
            .Select(s => s.ClassList.Single(c => c.StartsWith("state-", StringComparison.Ordinal) || c == "timeline-waiting"))
            .ToHashSet();
        Assert.Equal(Enum.GetValues<JobState>().Length + 1, used.Count); // every state, and waiting, is on screen
        Assert.Subset(legend, used);
        Assert.All(Enum.GetValues<JobState>(), s => Assert.Contains(JobStateStyle.CssClass(s), legend));
        // Each legend swatch carries the class that colours its segments.
        Assert.All(cut.FindAll("[data-testid=timeline-legend-item]"), i => Assert.Contains(i.GetAttribute("data-colour")!, i.QuerySelector(".legend-swatch")!.ClassList));
    }

    [Theory]
    [InlineData(15 * 60, 2 * 60)]
    [InlineData(3600, 10 * 60)]
    [InlineData(6 * 3600, 3600)]
    [InlineData(24 * 3600, 3 * 3600)]
    [InlineData(7 * 86400, 86400)]
    [InlineData(30 * 86400, 7 * 86400)]
    [InlineData(90, 15)]
    public void Ticks_fall_on_round_times_chosen_by_the_window(int rangeSeconds, int stepSeconds)
    {
        var layout = new TimelineLayout(s_oddTime, s_oddTime.AddSeconds(rangeSeconds), [], 0, TimeSpan.FromSeconds(rangeSeconds));

        var ticks = layout.Ticks();

        Assert.InRange(ticks.Count, 2, 8);
        Assert.All(ticks, t =>
        {
            Assert.InRange(t.At, layout.From, layout.To);
            var anchor = stepSeconds == 7 * 86400 ? new DateTimeOffset(1970, 1, 5, 0, 0, 0, TimeSpan.Zero) : DateTimeOffset.UnixEpoch;
            Assert.Equal(0, (long)(t.At - anchor).TotalSeconds % stepSeconds);
            Assert.Equal((t.At - layout.From) / (layout.To - layout.From) * 100, t.Percent, 6);
        });
        Assert.All(ticks.Zip(ticks.Skip(1)), p => Assert.Equal(TimeSpan.FromSeconds(stepSeconds), p.Second.At - p.First.At));
        Assert.True(ticks[0].At - layout.From < TimeSpan.FromSeconds(stepSeconds), "the first tick is the first round time in range");
    }

    [Fact]
    public void Tick_labels_are_as_precise_as_their_step()
    {
        Assert.Equal(["10:20", "10:30", "10:40", "10:50", "11:00", "11:10"], Labels(TimeSpan.FromHours(1)));
        Assert.Equal(["10:20:00", "10:20:15", "10:20:30", "10:20:45", "10:21:00", "10:21:15"], Labels(TimeSpan.FromSeconds(90)));
        // Midnight shows the date rather than 00:00.
        Assert.Equal(["12:00", "15:00", "18:00", "21:00", "Nov 28", "03:00", "06:00", "09:00"], Labels(TimeSpan.FromDays(1)));
        Assert.Equal(["Nov 28", "Nov 29", "Nov 30", "Dec 1", "Dec 2", "Dec 3", "Dec 4"], Labels(TimeSpan.FromDays(7)));
        Assert.Equal(["Jan 2027", "Apr 2027", "Jul 2027", "Oct 2027", "Jan 2028", "Apr 2028", "Jul 2028"], Labels(TimeSpan.FromDays(600)));
        Assert.Equal(["2027", "2028", "2029", "2030", "2031", "2032", "2033"], Labels(TimeSpan.FromDays(2500)));

        static IEnumerable<string> Labels(TimeSpan range) =>
            new TimelineLayout(s_oddTime, s_oddTime + range, [], 0, range).Ticks().Select(t => t.Label);
    }

    [Fact]
    public void The_chart_axis_shows_round_ticks()
    {
        var cut = RenderChart([TestJobs.Summary("a", age: TimeSpan.FromMinutes(40))]);

        // Automatic window: the last hour to 12:00, so ticks every 10 minutes from 11:00.
        Assert.Equal(["11:00", "11:10", "11:20", "11:30", "11:40", "11:50", "12:00"], cut.FindAll("[data-testid=timeline-tick]").Select(t => t.TextContent));
    }

    [Theory]
    [InlineData(null, true, null, null)]
    [InlineData("", true, null, null)]
    [InlineData("bogus", true, null, null)]
    [InlineData("-60", true, null, null)]
    [InlineData("all", false, null, "all")]
    [InlineData("3600", false, 3600, "3600")]
    [InlineData("5400", false, 5400, "5400")]
    public void The_window_query_value_round_trips(string? text, bool auto, int? seconds, string? canonical)
    {
        var parsed = TimelineLayout.ParseWindow(text);

        Assert.Equal((auto, seconds is { } s ? TimeSpan.FromSeconds(s) : (TimeSpan?)null), parsed);
        Assert.Equal(canonical, TimelineLayout.FormatWindow(parsed.Auto, parsed.Window));
        Assert.Equal(parsed, TimelineLayout.ParseWindow(TimelineLayout.FormatWindow(parsed.Auto, parsed.Window)));
    }

    [Fact]
    public void Timeline_urls_carry_the_window_only_when_chosen()
    {
        Assert.Equal("/timeline?namespace=team-a&labelSelector=a%3Db&window=3600", DashboardUrls.TimelineUrl("team-a", "a=b", "3600"));
        Assert.Equal("/timeline?window=all", DashboardUrls.TimelineUrl(null, null, "all"));
        Assert.Equal("/timeline?namespace=team-a", DashboardUrls.TimelineUrl("team-a", null, null));
    }

    [Fact]
    public void The_window_comes_from_the_url_and_a_new_choice_replaces_the_url()
    {
        Queries.Jobs.Add(TestJobs.Summary("recent", age: TimeSpan.FromMinutes(5)));
        Queries.Jobs.Add(TestJobs.Summary("old", state: JobState.Succeeded, age: TimeSpan.FromDays(3)) with { CompletionTime = TestJobs.Now - TimeSpan.FromDays(2) });
        Navigation.NavigateTo("/timeline?namespace=team-a&window=86400");

        var cut = Render<Timeline>();

        Assert.Equal("86400", cut.Find("[data-testid=timeline]").GetAttribute("data-window"));
        Assert.Equal("86400", cut.Find("[data-testid=timeline-window]").GetAttribute("value"));
        Assert.Equal(["team-a/recent"], BarKeys(cut));

        var navigation = (BunitNavigationManager)Navigation;
        var entries = navigation.History.Count;
        cut.Find("[data-testid=timeline-window]").Change("all");
        cut.WaitForAssertion(() => Assert.Equal(["team-a/old", "team-a/recent"], BarKeys(cut)), WaitTimeout);
        Assert.EndsWith("/timeline?namespace=team-a&window=all", Navigation.Uri, StringComparison.Ordinal);
        Assert.True(navigation.History.First().Options.ReplaceHistoryEntry);
        Assert.Equal(entries, navigation.History.Count);
        Assert.Equal("all", cut.Find("[data-testid=timeline-window]").GetAttribute("value"));

        // Automatic is the default: it leaves the URL.
        cut.Find("[data-testid=timeline-window]").Change("auto");
        cut.WaitForAssertion(() => Assert.EndsWith("/timeline?namespace=team-a", Navigation.Uri, StringComparison.Ordinal), WaitTimeout);
        Assert.Single(Queries.ActiveSubscriptions); // a window change does not re-subscribe

        // Back and forward (or a pasted link) with another window: the page follows the URL.
        Navigation.NavigateTo("/timeline?namespace=team-a&window=3600");
        cut.WaitForAssertion(() => Assert.Equal("3600", cut.Find("[data-testid=timeline]").GetAttribute("data-window")), WaitTimeout);
    }

    [Fact]
    public void A_window_from_a_url_that_is_not_offered_is_still_shown_as_chosen()
    {
        var cut = RenderChart([TestJobs.Summary("a")], window: "5400");

        Assert.Equal("5400", cut.Find("[data-testid=timeline]").GetAttribute("data-window"));
        Assert.Equal("5400", cut.Find("[data-testid=timeline-window]").GetAttribute("value"));
        Assert.Contains(cut.FindAll("[data-testid=timeline-window] option"), o => o.GetAttribute("value") == "5400" && o.TextContent == "Last 1h 30m");
    }

    [Fact]
    public void The_page_honours_the_label_filter_and_updates_live()
    {
        Queries.Jobs.Add(TestJobs.Summary("mnist", labels: TestJobs.Labels("team=vision")));
        Queries.Jobs.Add(TestJobs.Summary("bert", labels: TestJobs.Labels("team=nlp")));
        Navigation.NavigateTo("/timeline?namespace=team-a&labelSelector=team%3Dvision");

        var cut = Render<Timeline>();

        Assert.Equal(["team-a/mnist"], BarKeys(cut));
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

        var cut = RenderChart(jobs);

        Assert.Equal(TimeSpan.FromHours(1).TotalSeconds.ToString(CultureInfo.InvariantCulture), cut.Find("[data-testid=timeline]").GetAttribute("data-window"));
        // Still shown (it has not finished), clipped at the left edge; jobs that ended before the window are left out.
        Assert.Equal("true", cut.Find("[data-job='team-a/ancient'] [data-testid=timeline-bar]").GetAttribute("data-clipped"));
        Assert.Equal("false", cut.Find("[data-job='team-a/recent-01'] [data-testid=timeline-bar]").GetAttribute("data-clipped"));

        cut.Find("[data-testid=timeline-window]").Change("all");
        Assert.Equal("all", cut.Find("[data-testid=timeline]").GetAttribute("data-window"));
        Assert.All(cut.FindAll("[data-testid=timeline-bar]"), b => Assert.Equal("false", b.GetAttribute("data-clipped")));
    }

    [Fact]
    public void No_jobs()
    {
        var cut = RenderChart([]);

        Assert.NotNull(cut.Find("[data-testid=timeline-empty]"));
        Assert.Empty(cut.FindAll("[data-testid=timeline-tick]"));
    }

    private IRenderedComponent<TimelineChart> RenderChart(IReadOnlyList<JobSummary> jobs, string? window = null) =>
        Render<TimelineChart>(ps => ps.Add(p => p.Jobs, jobs).Add(p => p.Now, TestJobs.Now).Add(p => p.Window, window));

    private static IEnumerable<string?> BarKeys(IRenderedComponent<Timeline> cut) =>
        cut.FindAll("[data-testid=timeline-bar-row]").Select(r => r.GetAttribute("data-job"));
}
