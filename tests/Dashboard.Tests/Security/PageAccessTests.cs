using System.Security.Claims;
using Bunit;
using Dashboard.Components.Pages;
using Dashboard.Kubernetes.Query;
using Dashboard.Tests.Components;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace Dashboard.Tests.Security;

/// <summary>
/// The pages inside a circuit (in-app navigation, where no HTTP request passes the gate): a forbidden namespace
/// shows a 403 panel, the all-namespaces grid and the picker hold only readable namespaces, live changes too.
/// </summary>
public sealed class PageAccessTests : BunitContext, IAsyncLifetime
{
    private readonly FakeJobQueryService _queries = new();

    public PageAccessTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton<IJobQueryService>(_queries);
        Services.AddSingleton<TimeProvider>(new ManualTimeProvider(TestJobs.Now));
        Services.AddSingleton<INamespaceAccess>(new OnlyNamespaces("alice", "team-a", "kube-test"));
        AddAuthorization().SetAuthorized("alice");
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    [Fact]
    public void A_forbidden_namespace_shows_a_403_panel_not_an_empty_grid()
    {
        _queries.Jobs.Add(TestJobs.Summary("secret-job", "team-b"));
        Services.GetRequiredService<NavigationManager>().NavigateTo("/jobs?namespace=team-b");

        var cut = Render<Jobs>();

        Assert.Contains("team-b", cut.Find("[data-testid=forbidden]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=job-row]"));
        Assert.Empty(_queries.Subscriptions); // refused before subscribing
    }

    [Fact]
    public void A_forbidden_job_detail_shows_a_403_panel()
    {
        var cut = Render<JobDetails>(p => p.Add(d => d.Namespace, "team-b").Add(d => d.Name, "secret-job"));

        Assert.Contains("team-b", cut.Find("[data-testid=forbidden]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=detail-missing]"));
        Assert.Empty(_queries.DetailSubscriptions);
    }

    [Fact]
    public void All_namespaces_shows_only_readable_namespaces_jobs_including_live_changes()
    {
        _queries.Jobs.Add(TestJobs.Summary("visible", "team-a"));
        _queries.Jobs.Add(TestJobs.Summary("hidden", "team-b"));
        Services.GetRequiredService<NavigationManager>().NavigateTo("/jobs");

        var cut = Render<Jobs>();
        _queries.Publish(JobChange.Upsert(TestJobs.Summary("new-hidden", "team-b")), JobChange.Upsert(TestJobs.Summary("new-visible", "team-a")));

        cut.WaitForAssertion(
            () => Assert.Equal(
                ["team-a/new-visible", "team-a/visible"],
                cut.FindAll("[data-testid=job-row]").Select(r => r.GetAttribute("data-job")).Order(StringComparer.Ordinal)),
            TimeSpan.FromSeconds(10));
        Assert.Empty(cut.FindAll("[data-testid=forbidden]"));
    }

    [Fact]
    public async Task The_namespace_list_holds_only_readable_namespaces()
    {
        var queries = AuthorizedJobQueries.For(_queries, Services.GetRequiredService<INamespaceAccess>(), DashboardClaims.Create("alice", [], "test"));

        var listing = await queries.GetNamespacesAsync(CancellationToken.None);

        Assert.Equal(["kube-test", "team-a"], listing.Namespaces);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await base.DisposeAsync();

    private sealed class OnlyNamespaces(string user, params string[] namespaces) : INamespaceAccess
    {
        public ValueTask<bool> CanReadAsync(ClaimsPrincipal principal, string? @namespace, CancellationToken cancellationToken) =>
            ValueTask.FromResult(DashboardClaims.UserName(principal) == user && (@namespace is null || namespaces.Contains(@namespace)));
    }
}
