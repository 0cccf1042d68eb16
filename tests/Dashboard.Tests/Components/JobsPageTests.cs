using Bunit;
using Dashboard.Components.Controls;
using Dashboard.Components.Pages;
using Dashboard.Kubernetes.Query;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Tests.Components;

public sealed class JobsPageTests : DashboardTestContext
{
    private IRenderedComponent<Jobs> RenderJobs(string url = "/jobs")
    {
        Navigation.NavigateTo(url);
        return Render<Jobs>();
    }

    private static string[] RowKeys(IRenderedComponent<Jobs> cut) =>
        [.. cut.FindAll("[data-testid=job-row]").Select(r => r.GetAttribute("data-job")!)];

    [Fact]
    public void A_namespace_name_that_cannot_exist_is_shown_as_such_with_no_rows()
    {
        Queries.Jobs.Add(TestJobs.Summary("mnist"));

        var cut = RenderJobs("/jobs?namespace=Team_A");

        Assert.StartsWith("Invalid namespace — namespace \"Team_A\" is invalid: a lowercase RFC 1123 label", cut.Find("[data-testid=forbidden]").TextContent.Trim(), StringComparison.Ordinal);
        Assert.Empty(RowKeys(cut));
        Assert.Empty(Queries.Subscriptions);
    }

    [Fact]
    public void A_namespace_the_cluster_does_not_list_says_so_instead_of_no_jobs()
    {
        var cut = RenderJobs("/jobs?namespace=team-z");

        Assert.Equal("The cluster has no namespace \"team-z\" (as of its namespace list). Pick one from the list.", cut.Find("[data-testid=job-grid-empty]").TextContent);

        var known = RenderJobs("/jobs?namespace=team-b");
        Assert.Equal("No PyTorchJobs here.", known.Find("[data-testid=job-grid-empty]").TextContent);
    }

    [Theory]
    [InlineData("/jobs?namespace=team-a&labelSelector=app%20in%20(a,", "Fix the selector to see jobs.")]
    [InlineData("/jobs?namespace=Team_A", "No jobs to show.")]
    public void An_empty_grid_says_why_when_it_is_not_for_want_of_jobs(string url, string expected)
    {
        Queries.Jobs.Add(TestJobs.Summary("a"));

        var cut = RenderJobs(url);

        Assert.Equal(expected, cut.Find("[data-testid=job-grid-empty]").TextContent);
    }

    [Fact]
    public void A_namespace_never_listed_is_not_called_empty()
    {
        Queries.Sync = new SyncStatus(SyncPhase.Reconnecting, Attempt: 2, Error: new ApiError(ApiErrorKind.TooManyRequests, 429, "TooManyRequests", "Too many requests, please try again later."));

        var cut = RenderJobs("/jobs?namespace=team-a");

        Assert.Equal("No jobs loaded yet: the API server has not answered a list (see the banner).", cut.Find("[data-testid=job-grid-empty]").TextContent);
    }

    [Fact]
    public void A_namespace_past_the_cache_limit_says_why_nothing_shows()
    {
        Queries.RefuseSubscriptions = new CacheLimitException(2);

        var cut = RenderJobs("/jobs?namespace=team-z");

        Assert.StartsWith("Too many namespaces open — The dashboard is already watching 2 namespaces", cut.Find("[data-testid=forbidden]").TextContent.Trim(), StringComparison.Ordinal);
        Assert.Empty(RowKeys(cut));
    }

    [Fact]
    public void Lists_the_snapshot_with_name_state_replicas_image_and_labels()
    {
        Queries.Jobs.Add(TestJobs.Summary("mnist", labels: TestJobs.Labels("team=vision", "tier=gpu")));
        Queries.Jobs.Add(TestJobs.Summary("bert", state: JobState.Failed, workerFailed: 1));

        var cut = RenderJobs();

        Assert.Equal(["team-a/bert", "team-a/mnist"], RowKeys(cut));
        var mnist = cut.Find("[data-job='team-a/mnist']");
        Assert.Equal("Running", mnist.QuerySelector("[data-testid=state-chip]")!.TextContent);
        Assert.Contains("state-running", mnist.QuerySelector("[data-testid=state-chip]")!.ClassName);
        Assert.Equal("1 / 0 / 0 of 1", mnist.QuerySelector("[data-testid=cell-master]")!.TextContent.Trim());
        Assert.Equal("2 / 0 / 0 of 2", mnist.QuerySelector("[data-testid=cell-worker]")!.TextContent.Trim());
        Assert.Equal("10m", mnist.QuerySelector("[data-testid=cell-age]")!.TextContent);
        Assert.Equal("registry.local/trainer:v1", mnist.QuerySelector("[data-testid=cell-image]")!.TextContent);
        Assert.Equal(["team=vision", "tier=gpu"], mnist.QuerySelectorAll("[data-testid=label-chip]").Select(c => c.TextContent));
        Assert.Equal("team=vision\ntier=gpu", mnist.QuerySelector("[data-testid=cell-labels]")!.GetAttribute("title"));
        Assert.Contains("state-failed", cut.Find("[data-job='team-a/bert'] [data-testid=state-chip]").ClassName);
        // All namespaces: the namespace column is shown.
        Assert.NotEmpty(cut.FindAll("[data-testid=cell-namespace]"));
    }

    [Fact]
    public void Each_state_has_its_own_chip_class()
    {
        var states = new[] { JobState.Created, JobState.Running, JobState.Restarting, JobState.Succeeded, JobState.Failed, JobState.Suspended };
        foreach (var state in states)
        {
            Queries.Jobs.Add(TestJobs.Summary("job-" + state.ToString().ToLowerInvariant(), state: state));
        }

        var cut = RenderJobs();

        var classes = cut.FindAll("[data-testid=state-chip]").Select(c => c.ClassList.Single(x => x.StartsWith("state-", StringComparison.Ordinal) && x != "state-chip")).ToList();
        Assert.Equal(states.Length, classes.Distinct().Count());
    }

    [Fact]
    public void A_single_jobs_update_rerenders_its_row_and_no_other()
    {
        for (var i = 0; i < 30; i++)
        {
            Queries.Jobs.Add(TestJobs.Summary($"job-{i:00}"));
        }

        var cut = RenderJobs();
        var before = cut.FindComponents<JobRow>().ToDictionary(r => r.Instance.Job.Key, r => r.Instance.RenderCount);
        Assert.Equal(30, before.Count);

        Queries.Publish(JobChange.Upsert(TestJobs.Summary("job-07", state: JobState.Succeeded, resourceVersion: "2")));

        cut.WaitForAssertion(() => Assert.Equal("Succeeded", cut.Find("[data-job='team-a/job-07'] [data-testid=state-chip]").TextContent), WaitTimeout);
        var after = cut.FindComponents<JobRow>().ToDictionary(r => r.Instance.Job.Key, r => r.Instance.RenderCount);
        Assert.Equal(before["team-a/job-07"] + 1, after["team-a/job-07"]);
        Assert.All(after.Where(kv => kv.Key != "team-a/job-07"), kv => Assert.Equal(before[kv.Key], kv.Value));
    }

    [Fact]
    public void Rows_carry_their_place_in_the_whole_list_for_screen_readers()
    {
        Queries.Jobs.Add(TestJobs.Summary("b"));
        Queries.Jobs.Add(TestJobs.Summary("c"));
        var cut = RenderJobs("/jobs?namespace=team-a");

        Assert.Equal("3", cut.Find("[data-testid=job-grid]").GetAttribute("aria-rowcount"));
        Assert.Equal(["2", "3"], cut.FindAll("[data-testid=job-row]").Select(r => r.GetAttribute("aria-rowindex")));

        // A job sorted in above the others moves them down one place.
        Queries.Publish(JobChange.Upsert(TestJobs.Summary("a")));

        cut.WaitForAssertion(() => Assert.Equal(
            ["team-a/a:2", "team-a/b:3", "team-a/c:4"],
            cut.FindAll("[data-testid=job-row]").Select(r => r.GetAttribute("data-job") + ":" + r.GetAttribute("aria-rowindex"))), WaitTimeout);
    }

    [Fact]
    public async Task Two_quick_navigations_leave_one_subscription_the_one_the_url_names()
    {
        Queries.Jobs.Add(TestJobs.Summary("a", @namespace: "team-a"));
        Queries.Jobs.Add(TestJobs.Summary("b", @namespace: "team-b"));
        Queries.Jobs.Add(TestJobs.Summary("c", @namespace: "team-c"));
        var slowB = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var askedForB = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Queries.SubscribeGate = ns =>
        {
            if (ns != "team-b")
            {
                return Task.CompletedTask;
            }

            askedForB.TrySetResult();
            return slowB.Task;
        };
        var cut = RenderJobs("/jobs?namespace=team-a");

        // To team-b, whose subscription is slow (an access review, say); while it is pending, on to team-c;
        // team-b's answer comes last.
        Navigation.NavigateTo("/jobs?namespace=team-b");
        await askedForB.Task.WaitAsync(WaitTimeout);
        Navigation.NavigateTo("/jobs?namespace=team-c");
        cut.WaitForAssertion(() => Assert.Equal(["team-c/c"], RowKeys(cut)), WaitTimeout);
        slowB.SetResult();

        // No render follows (nothing changes on screen), so wait on the fake itself.
        await Hubs.Eventually.TrueAsync(() => Queries.Subscriptions.Any(s => s.Namespace == "team-b" && s.Released), "team-b's late subscription is released", WaitTimeout);
        Assert.Equal(["team-c"], Queries.ActiveSubscriptions.Select(s => s.Namespace));
        Assert.Equal(["team-c/c"], RowKeys(cut));
    }

    [Fact]
    public void A_malformed_selector_leaves_the_rows_on_screen_and_live()
    {
        Queries.Jobs.Add(TestJobs.Summary("a"));
        var cut = RenderJobs("/jobs?namespace=team-a");

        Navigation.NavigateTo("/jobs?namespace=team-a&labelSelector=team%20in%20(");
        cut.WaitForAssertion(() => Assert.Equal(ParseError("team in ("), cut.Find("[data-testid=selector-error]").TextContent), WaitTimeout);
        Queries.Publish(JobChange.Upsert(TestJobs.Summary("b")));

        cut.WaitForAssertion(() => Assert.Equal(["team-a/a", "team-a/b"], RowKeys(cut)), WaitTimeout);
        Assert.Single(Queries.ActiveSubscriptions);
    }

    [Fact]
    public void Back_from_a_job_focus_returns_to_its_row()
    {
        for (var i = 0; i < 5; i++)
        {
            Queries.Jobs.Add(TestJobs.Summary($"job-{i}"));
        }

        var cut = RenderJobs("/jobs?namespace=team-a&job=team-a%2Fjob-3");

        cut.WaitForAssertion(() => Assert.Single(JSInterop.Invocations, i => i.Identifier == "dashboard.focusRow"), WaitTimeout);
        var focus = Assert.Single(JSInterop.Invocations, i => i.Identifier == "dashboard.focusRow");
        Assert.Equal(["team-a/job-3", 3, JobGrid.RowHeight], focus.Arguments);
        cut.Render();
        Assert.Single(JSInterop.Invocations, i => i.Identifier == "dashboard.focusRow"); // once, not on every render
    }

    [Fact]
    public void The_skip_link_takes_keyboard_focus_past_the_facets_to_the_rows()
    {
        Queries.Jobs.Add(TestJobs.Summary("a", labels: TestJobs.Labels("team=vision")));
        var cut = RenderJobs("/jobs?namespace=team-a");

        var skip = cut.Find("[data-testid=skip-to-jobs]");
        Assert.Equal("#job-list", skip.GetAttribute("href"));
        Assert.Equal("job-list", cut.Find("[data-testid=job-grid-body]").Id);
        skip.Click();

        Assert.Single(JSInterop.Invocations, i => i.Identifier == "dashboard.focusFirstRow");
    }

    [Fact]
    public void A_malformed_selector_with_another_namespace_keeps_nothing_of_the_old_one()
    {
        Queries.Jobs.Add(TestJobs.Summary("a"));
        var cut = RenderJobs("/jobs?namespace=team-a");

        Navigation.NavigateTo("/jobs?namespace=team-b&labelSelector=team%20in%20(");

        cut.WaitForAssertion(() => Assert.Equal("Fix the selector to see jobs.", cut.Find("[data-testid=job-grid-empty]").TextContent), WaitTimeout);
        Assert.Empty(RowKeys(cut));
        Assert.Empty(Queries.ActiveSubscriptions);
    }

    [Fact]
    public void New_jobs_appear_and_deleted_ones_leave()
    {
        Queries.Jobs.Add(TestJobs.Summary("a"));
        Queries.Jobs.Add(TestJobs.Summary("b"));
        var cut = RenderJobs();

        Queries.Publish(JobChange.Upsert(TestJobs.Summary("c")), JobChange.Delete("team-a", "a"));

        cut.WaitForAssertion(() => Assert.Equal(["team-a/b", "team-a/c"], RowKeys(cut)), WaitTimeout);
    }

    [Fact]
    public void Sorting_by_a_header_orders_rows_and_writes_the_url()
    {
        Queries.Jobs.Add(TestJobs.Summary("old", age: TimeSpan.FromHours(5)));
        Queries.Jobs.Add(TestJobs.Summary("young", age: TimeSpan.FromMinutes(1)));
        Queries.Jobs.Add(TestJobs.Summary("middle", age: TimeSpan.FromHours(1)));
        var cut = RenderJobs();
        Assert.Equal(["team-a/middle", "team-a/old", "team-a/young"], RowKeys(cut));

        cut.Find("[data-testid=sort-age]").Click();
        cut.WaitForAssertion(() => Assert.Equal(["team-a/young", "team-a/middle", "team-a/old"], RowKeys(cut)), WaitTimeout);
        Assert.EndsWith("/jobs?sort=age", Navigation.Uri, StringComparison.Ordinal);

        cut.Find("[data-testid=sort-age]").Click();
        cut.WaitForAssertion(() => Assert.Equal(["team-a/old", "team-a/middle", "team-a/young"], RowKeys(cut)), WaitTimeout);
        Assert.EndsWith("/jobs?sort=-age", Navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void Sort_comes_from_the_url()
    {
        Queries.Jobs.Add(TestJobs.Summary("a", state: JobState.Succeeded));
        Queries.Jobs.Add(TestJobs.Summary("b", state: JobState.Failed));
        var cut = RenderJobs("/jobs?sort=state");

        Assert.Equal(["team-a/b", "team-a/a"], RowKeys(cut));
        Assert.Equal("ascending", cut.Find("[data-testid=sort-state]").ParentElement!.GetAttribute("aria-sort"));
    }

    [Fact]
    public void Quick_search_narrows_rows_by_name_image_or_label()
    {
        Queries.Jobs.Add(TestJobs.Summary("mnist-small", labels: TestJobs.Labels("team=vision")));
        Queries.Jobs.Add(TestJobs.Summary("bert-large", image: "nlp/bert:2"));
        var cut = RenderJobs();

        cut.Find("[data-testid=search-input]").Input("bert");
        cut.WaitForAssertion(() => Assert.Equal(["team-a/bert-large"], RowKeys(cut)), WaitTimeout);
        Assert.Equal("1 of 2 jobs", cut.Find("[data-testid=row-count]").TextContent);
        Assert.Contains("search=bert", Navigation.Uri, StringComparison.Ordinal);

        cut.Find("[data-testid=search-input]").Input("team=vision");
        cut.WaitForAssertion(() => Assert.Equal(["team-a/mnist-small"], RowKeys(cut)), WaitTimeout);
    }

    [Fact]
    public void Search_keeps_applying_to_live_updates()
    {
        Queries.Jobs.Add(TestJobs.Summary("bert"));
        var cut = RenderJobs("/jobs?search=bert");

        Queries.Publish(JobChange.Upsert(TestJobs.Summary("mnist")), JobChange.Upsert(TestJobs.Summary("bert-2")));

        cut.WaitForAssertion(() => Assert.Equal(["team-a/bert", "team-a/bert-2"], RowKeys(cut)), WaitTimeout);
    }

    [Fact]
    public void Enter_on_a_row_opens_the_job()
    {
        Queries.Jobs.Add(TestJobs.Summary("mnist", @namespace: "kube-test"));
        var cut = RenderJobs();

        cut.Find("[data-job='kube-test/mnist']").KeyDown("Enter");

        Assert.EndsWith("/jobs/kube-test/mnist", Navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void Clicking_a_row_selects_it_in_the_url()
    {
        Queries.Jobs.Add(TestJobs.Summary("mnist"));
        var cut = RenderJobs("/jobs?namespace=team-a");

        cut.Find("[data-job='team-a/mnist']").Click();

        Assert.EndsWith("/jobs?namespace=team-a&job=team-a%2Fmnist", Navigation.Uri, StringComparison.Ordinal);
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-job='team-a/mnist']").GetAttribute("aria-selected")), WaitTimeout);
    }

    [Fact]
    public void Clicking_a_label_chip_adds_it_to_the_selector_and_resubscribes()
    {
        Queries.Jobs.Add(TestJobs.Summary("mnist", labels: TestJobs.Labels("team=vision")));
        Queries.Jobs.Add(TestJobs.Summary("bert", labels: TestJobs.Labels("team=nlp")));
        var cut = RenderJobs("/jobs?namespace=team-a");

        cut.Find("[data-job='team-a/mnist'] [data-testid=label-chip]").Click();

        Assert.EndsWith("/jobs?namespace=team-a&labelSelector=team%3Dvision", Navigation.Uri, StringComparison.Ordinal);
        cut.WaitForAssertion(() => Assert.Equal(["team-a/mnist"], RowKeys(cut)), WaitTimeout);
        Assert.Equal("team=vision", cut.Find("[data-testid=selector-input]").GetAttribute("value"));
        Assert.Equal(("team-a", "team=vision"), (Queries.ActiveSubscriptions.Single().Namespace, Queries.ActiveSubscriptions.Single().LabelSelector));
        Assert.True(Queries.Subscriptions[0].Released);
    }

    [Fact]
    public void Namespace_picker_offers_the_services_namespaces_and_resubscribes()
    {
        Queries.Jobs.Add(TestJobs.Summary("a", @namespace: "team-a"));
        Queries.Jobs.Add(TestJobs.Summary("b", @namespace: "team-b"));
        var cut = RenderJobs();
        Assert.Equal(["kube-test", "team-a", "team-b"], cut.FindAll("#namespace-options option").Select(o => o.GetAttribute("value")));

        cut.Find("[data-testid=namespace-input]").Change("team-b");

        cut.WaitForAssertion(() => Assert.Equal(["team-b/b"], RowKeys(cut)), WaitTimeout);
        Assert.Empty(cut.FindAll("[data-testid=cell-namespace]"));
        Assert.Equal("team-b", Queries.ActiveSubscriptions.Single().Namespace);

        cut.Find("[data-testid=all-namespaces]").Click();
        cut.WaitForAssertion(() => Assert.Equal(2, RowKeys(cut).Length), WaitTimeout);
        Assert.Null(Queries.ActiveSubscriptions.Single().Namespace);
    }

    [Fact]
    public void Typing_a_selector_and_pressing_enter_narrows_the_grid_and_the_url()
    {
        Queries.Jobs.Add(TestJobs.Summary("mnist", labels: TestJobs.Labels("team=vision")));
        Queries.Jobs.Add(TestJobs.Summary("bert", labels: TestJobs.Labels("team=nlp")));
        var cut = RenderJobs();

        var input = cut.Find("[data-testid=selector-input]");
        input.Input("team in (vision)");
        cut.Find("[data-testid=selector-input]").KeyDown("Enter");

        cut.WaitForAssertion(() => Assert.Equal(["team-a/mnist"], RowKeys(cut)), WaitTimeout);
        Assert.Contains("labelSelector=team%20in%20%28vision%29", Navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_selector_shows_the_error_inline_and_keeps_the_rows()
    {
        Queries.Jobs.Add(TestJobs.Summary("mnist"));
        Queries.Jobs.Add(TestJobs.Summary("bert"));
        var cut = RenderJobs();

        cut.Find("[data-testid=selector-input]").Input("team in (vision");
        cut.Find("[data-testid=selector-input]").KeyDown("Enter");

        Assert.Equal(ParseError("team in (vision"), cut.Find("[data-testid=selector-error]").TextContent);
        Assert.Equal("true", cut.Find("[data-testid=selector-input]").GetAttribute("aria-invalid"));
        Assert.Equal(2, RowKeys(cut).Length);
        Assert.Single(Queries.Subscriptions);
        Assert.DoesNotContain("labelSelector", Navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_selector_in_the_url_shows_the_services_message()
    {
        Queries.Jobs.Add(TestJobs.Summary("mnist"));
        var cut = RenderJobs("/jobs?labelSelector=a%20in%20(");

        Assert.Equal(ParseError("a in ("), cut.Find("[data-testid=selector-error]").TextContent);
    }

    /// <summary>The message the selector parser (and so the query service) gives for <paramref name="selector"/>.</summary>
    private static string ParseError(string selector)
    {
        Assert.False(Dashboard.Model.Selectors.LabelSelector.TryParse(selector, out _, out var error), $"'{selector}' should not parse");
        Assert.False(string.IsNullOrEmpty(error));
        return error;
    }

    [Fact]
    public void Facets_count_the_jobs_the_search_leaves()
    {
        Queries.Jobs.Add(TestJobs.Summary("bert-1", labels: TestJobs.Labels("team=nlp")));
        Queries.Jobs.Add(TestJobs.Summary("bert-2", labels: TestJobs.Labels("team=nlp")));
        Queries.Jobs.Add(TestJobs.Summary("resnet-1", labels: TestJobs.Labels("team=vision")));

        var cut = RenderJobs("/jobs?namespace=team-a&search=bert");

        Assert.Equal(["team-a/bert-1", "team-a/bert-2"], RowKeys(cut));
        Assert.Equal("2", cut.Find("[data-testid=facet-value][data-value=nlp]").GetAttribute("data-count"));
        Assert.Empty(cut.FindAll("[data-testid=facet-value][data-value=vision]"));
    }

    [Fact]
    public void Facets_count_label_values_live_and_add_the_clicked_one()
    {
        Queries.Jobs.Add(TestJobs.Summary("a", labels: TestJobs.Labels("team=vision")));
        Queries.Jobs.Add(TestJobs.Summary("b", labels: TestJobs.Labels("team=vision")));
        Queries.Jobs.Add(TestJobs.Summary("c", labels: TestJobs.Labels("team=nlp")));
        var cut = RenderJobs("/jobs?namespace=team-a");

        Assert.Equal("2", cut.Find("[data-testid=facet-value][data-value=vision]").GetAttribute("data-count"));
        Assert.Equal("1", cut.Find("[data-testid=facet-value][data-value=nlp]").GetAttribute("data-count"));

        var d = TestJobs.Summary("d", labels: TestJobs.Labels("team=nlp"));
        Queries.Jobs.Add(d);
        Queries.Jobs.RemoveAll(j => j.Name == "a");
        Queries.Publish(JobChange.Upsert(d), JobChange.Delete("team-a", "a"));
        cut.WaitForAssertion(() => Assert.Equal("2", cut.Find("[data-testid=facet-value][data-value=nlp]").GetAttribute("data-count")), WaitTimeout);
        Assert.Equal("1", cut.Find("[data-testid=facet-value][data-value=vision]").GetAttribute("data-count"));

        cut.Find("[data-testid=facet-value][data-value=nlp]").Click();
        cut.WaitForAssertion(() => Assert.Equal(["team-a/c", "team-a/d"], RowKeys(cut)), WaitTimeout);
        Assert.Equal("true", cut.Find("[data-testid=facet-value][data-value=nlp]").GetAttribute("aria-pressed"));
    }

    [Fact]
    public void Sync_changes_reach_the_banner_and_the_rows_stay_while_stale()
    {
        Queries.Jobs.Add(TestJobs.Summary("mnist"));
        var cut = RenderJobs();
        Assert.Equal("Live", cut.Find("[data-testid=sync-banner]").GetAttribute("data-phase"));

        Queries.Publish(new SyncStatus(SyncPhase.Stale, StaleSince: TestJobs.Now.AddMinutes(-2), Error: new ApiError(ApiErrorKind.Network, null, null, "Connection refused")));

        cut.WaitForAssertion(() => Assert.Equal("Stale", cut.Find("[data-testid=sync-banner]").GetAttribute("data-phase")), WaitTimeout);
        Assert.Contains("Connection refused", cut.Find("[data-testid=sync-detail]").TextContent, StringComparison.Ordinal);
        Assert.Equal(["team-a/mnist"], RowKeys(cut));
    }

    [Fact]
    public void Ages_tick_with_the_page_clock()
    {
        Queries.Jobs.Add(TestJobs.Summary("mnist", age: TimeSpan.FromMinutes(10)));
        var cut = RenderJobs();
        Assert.Equal("10m", cut.Find("[data-testid=cell-age]").TextContent);

        Clock.Advance(TimeSpan.FromMinutes(2));

        cut.WaitForAssertion(() => Assert.Equal("12m", cut.Find("[data-testid=cell-age]").TextContent), WaitTimeout);
    }

    [Fact]
    public void Cluster_strings_render_as_text_not_markup()
    {
        Queries.Jobs.Add(TestJobs.Summary("evil", labels: TestJobs.Labels("x=<img src=x onerror=alert(1)>"), message: "<script>alert(1)</script>", image: "<b>bold</b>"));
        var cut = RenderJobs();

        Assert.Empty(cut.FindAll("img"));
        Assert.Empty(cut.FindAll("script"));
        Assert.Empty(cut.FindAll("b"));
        Assert.Equal("<b>bold</b>", cut.Find("[data-testid=cell-image]").TextContent);
    }

    [Fact]
    public void Back_and_forward_follow_the_url()
    {
        Queries.Jobs.Add(TestJobs.Summary("a", @namespace: "team-a", labels: TestJobs.Labels("team=vision")));
        Queries.Jobs.Add(TestJobs.Summary("b", @namespace: "team-b"));
        var cut = RenderJobs("/jobs?namespace=team-a");
        Assert.Equal(["team-a/a"], RowKeys(cut));

        // What the browser's history does: the URL changes, the page follows without being re-created.
        Navigation.NavigateTo("/jobs?namespace=team-b");
        cut.WaitForAssertion(() => Assert.Equal(["team-b/b"], RowKeys(cut)), WaitTimeout);
        Assert.Equal("team-b", cut.Find("[data-testid=namespace-input]").GetAttribute("value"));

        Navigation.NavigateTo("/jobs?namespace=team-a&labelSelector=team%3Dnlp&sort=-name");
        cut.WaitForAssertion(() => Assert.Empty(RowKeys(cut)), WaitTimeout);
        Assert.Equal("team=nlp", cut.Find("[data-testid=selector-input]").GetAttribute("value"));
        Assert.Equal("descending", cut.Find("[data-testid=sort-name]").ParentElement!.GetAttribute("aria-sort"));
        Assert.Single(Queries.ActiveSubscriptions);
    }

    [Fact]
    public void Prerendering_sends_the_first_screenful_as_plain_rows()
    {
        SetRendererInfo(new RendererInfo("Static", isInteractive: false));
        for (var i = 0; i < 100; i++)
        {
            Queries.Jobs.Add(TestJobs.Summary($"job-{i:000}"));
        }

        var cut = RenderJobs();

        Assert.Equal(30, RowKeys(cut).Length);
        Assert.Equal("team-a/job-000", RowKeys(cut)[0]);
    }

    [Fact]
    public async Task Disposing_the_page_releases_its_subscription()
    {
        Queries.Jobs.Add(TestJobs.Summary("mnist"));
        var cut = RenderJobs();

        await cut.Instance.DisposeAsync();

        Assert.True(Queries.Subscriptions.Single().Released);
    }
}
