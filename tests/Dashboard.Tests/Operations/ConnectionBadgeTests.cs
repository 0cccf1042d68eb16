using System.Net;
using Bunit;
using Dashboard.Components.Layout;
using Dashboard.Kubernetes.Query;
using Dashboard.Tests.Components;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Tests.Operations;

/// <summary>The app bar says what the dashboard is connected to and what its identity may not do.</summary>
public sealed class ConnectionBadgeTests : DashboardTestContext
{
    [Fact]
    public void The_embedded_emulator_is_called_demo_data()
    {
        Queries.Connection = new ConnectionInfo(ConnectionMode.Emulator, "http://127.0.0.1:40000", null, true);

        var cut = RenderLayout();

        var connection = cut.Find("[data-testid=connection]");
        Assert.Equal("Embedded emulator — demo data", connection.TextContent);
        Assert.Contains("not a cluster", connection.GetAttribute("title"), StringComparison.Ordinal);
    }

    [Fact]
    public void An_in_cluster_connection_shows_the_service_address_and_mode()
    {
        Queries.Connection = new ConnectionInfo(ConnectionMode.InCluster, "https://10.96.0.1:443", null, false);

        var cut = RenderLayout();

        var connection = cut.Find("[data-testid=connection]");
        Assert.Equal("https://10.96.0.1:443", connection.TextContent);
        Assert.Equal("Mode InCluster; API server https://10.96.0.1:443", connection.GetAttribute("title"));
    }

    [Fact]
    public void An_identity_that_may_not_list_namespaces_is_shown_as_a_limit()
    {
        const string note = "This identity may not list namespaces; showing the configured Kubernetes:Namespaces.";
        Queries.Namespaces = new NamespaceListing(["team-a"], false, note);

        var cut = RenderLayout();

        cut.WaitForAssertion(() => Assert.Equal("cannot list namespaces", cut.Find("[data-testid=connection-limit]").TextContent), WaitTimeout);
        Assert.Equal(note, WebUtility.HtmlDecode(cut.Find("[data-testid=connection-limit]").GetAttribute("title")));
    }

    [Fact]
    public void Another_listing_failure_is_shown_with_its_reason()
    {
        Queries.Namespaces = new NamespaceListing(["team-a"], false, "Namespaces could not be listed (401: Unauthorized); showing the configured Kubernetes:Namespaces.");

        var cut = RenderLayout();

        cut.WaitForAssertion(() => Assert.Equal("namespaces unavailable", cut.Find("[data-testid=connection-limit]").TextContent), WaitTimeout);
        Assert.Contains("401", cut.Find("[data-testid=connection-limit]").GetAttribute("title"), StringComparison.Ordinal);
    }

    [Fact]
    public void No_limit_is_shown_when_namespaces_come_from_the_API()
    {
        var cut = RenderLayout();

        cut.WaitForAssertion(() => Assert.Contains(JSInterop.Invocations, i => i.Identifier == "dashboard.getTheme"), WaitTimeout);
        Assert.Empty(cut.FindAll("[data-testid=connection-limit]"));
    }

    private IRenderedComponent<MainLayout> RenderLayout() =>
        Render<MainLayout>(ps => ps.Add(p => p.Body, (RenderFragment)(b => b.AddContent(0, "body"))));
}
