using Dashboard.Kubernetes.Query;
using Dashboard.Model;

namespace Dashboard.Tests.Components;

public sealed class ViewModelTests
{
    [Fact]
    public void Urls_leave_out_empty_values_and_escape_the_rest()
    {
        Assert.Equal("/jobs", DashboardUrls.JobsUrl());
        Assert.Equal("/jobs?namespace=team-a&labelSelector=tier%20in%20%28gpu%29&search=bert&sort=-age&job=team-a%2Fbert",
            DashboardUrls.JobsUrl("team-a", "tier in (gpu)", "bert", "-age", "team-a/bert"));
        Assert.Equal("/jobs/kube-test/pytorch-test", DashboardUrls.JobDetailUrl("kube-test", "pytorch-test"));
        Assert.Equal("/timeline?namespace=team-a&labelSelector=a%3Db", DashboardUrls.TimelineUrl("team-a", "a=b"));
    }

    [Theory]
    [InlineData(null, JobSortColumn.Name, false)]
    [InlineData("age", JobSortColumn.Age, false)]
    [InlineData("-duration", JobSortColumn.Duration, true)]
    [InlineData("bogus", JobSortColumn.Name, false)]
    public void Sort_round_trips_through_the_url(string? text, JobSortColumn column, bool descending)
    {
        var sort = JobSort.Parse(text);

        Assert.Equal(new JobSort(column, descending), sort);
        Assert.Equal(sort, JobSort.Parse(sort.ToString()));
    }

    [Theory]
    [InlineData(45, "45s")]
    [InlineData(150, "2m 30s")]
    [InlineData(3600 * 2 + 300, "2h 5m")]
    [InlineData(86400 * 3, "3d")]
    [InlineData(86400 * 40, "40d")]
    public void Durations_are_short(int seconds, string expected) =>
        Assert.Equal(expected, TimeFormat.Short(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Facets_count_values_and_cap_long_lists()
    {
        var jobs = Enumerable.Range(0, 20)
            .Select(i => TestJobs.Summary($"j{i}", labels: TestJobs.Labels("team=" + (i < 5 ? "vision" : "t" + i), "env=prod")))
            .ToList();

        var facets = JobListState.BuildFacets(jobs);

        Assert.Equal(["env", "team"], facets.Select(f => f.Key));
        Assert.Equal(new LabelFacetValue("prod", 20), facets[0].Values.Single());
        Assert.Equal(new LabelFacetValue("vision", 5), facets[1].Values[0]);
        Assert.Equal(JobListState.MaxFacetValues, facets[1].Values.Count);
        Assert.Equal(16 - JobListState.MaxFacetValues, facets[1].MoreValues);
    }

    [Fact]
    public void Job_list_state_applies_upserts_and_deletes()
    {
        var state = new JobListState();
        state.Reset([TestJobs.Summary("a"), TestJobs.Summary("b")]);

        state.Apply([JobChange.Upsert(TestJobs.Summary("a", state: JobState.Failed)), JobChange.Delete("team-a", "b"), JobChange.Upsert(TestJobs.Summary("c"))]);

        var view = state.BuildView(null, JobSort.Default, TestJobs.Now);
        Assert.Equal(["a", "c"], view.Rows.Select(r => r.Name));
        Assert.Equal(JobState.Failed, view.Rows[0].State);
    }
}

public sealed class SelectorEditingTests
{
    [Theory]
    [InlineData(null, "team=vision")]
    [InlineData("tier in (gpu,cpu)", "tier in (gpu,cpu),team=vision")]
    [InlineData("team=nlp,!canary", "!canary,team=vision")]
    [InlineData("team==nlp", "team=vision")]
    [InlineData("team!=nlp", "team!=nlp,team=vision")]
    public void Clicking_a_label_adds_it_and_replaces_an_equality_on_the_same_key(string? selector, string expected) =>
        Assert.Equal(expected, Dashboard.Model.SelectorEditing.WithEquality(selector, "team", "vision"));

    [Fact]
    public void Terms_do_not_split_inside_sets() =>
        Assert.Equal(["a in (x,y)", "b", "!c"], Dashboard.Model.SelectorEditing.Terms("a in (x,y), b ,!c"));
}
