using Bunit;
using Dashboard.Components.Layout;
using Dashboard.Kubernetes.Query;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Tests.Components;

public sealed class LayoutTests : DashboardTestContext
{
    [Fact]
    public void The_app_bar_shows_the_connection_and_marks_the_circuit()
    {
        Queries.Connection = new ConnectionInfo(ConnectionMode.KubeConfig, "https://10.0.0.1:6443", "prod", false);

        var cut = Render<MainLayout>(ps => ps.Add(p => p.Body, (RenderFragment)(b => b.AddContent(0, "body"))));

        Assert.Equal("prod (https://10.0.0.1:6443)", cut.Find("[data-testid=connection]").TextContent);
        Assert.Contains(JSInterop.Invocations, i => i.Identifier == "dashboard.markCircuit");
        Assert.NotNull(cut.Find("[data-testid=nav-jobs]"));
        Assert.NotNull(cut.Find("[data-testid=nav-timeline]"));
    }

    [Fact]
    public void The_theme_toggle_switches_and_remembers()
    {
        var cut = Render<MainLayout>(ps => ps.Add(p => p.Body, (RenderFragment)(b => b.AddContent(0, "body"))));
        Assert.Equal("light", cut.Find(".app-root").GetAttribute("data-theme"));

        cut.Find("[data-testid=theme-toggle]").Click();

        Assert.Equal("dark", cut.Find(".app-root").GetAttribute("data-theme"));
        Assert.Contains(JSInterop.Invocations, i => i.Identifier == "dashboard.setTheme" && (string)i.Arguments[0]! == "dark");
    }

    [Fact]
    public void A_remembered_dark_theme_is_restored()
    {
        JSInterop.Setup<string?>("dashboard.getTheme").SetResult("dark");

        var cut = Render<MainLayout>(ps => ps.Add(p => p.Body, (RenderFragment)(b => b.AddContent(0, "body"))));

        cut.WaitForAssertion(() => Assert.Equal("dark", cut.Find(".app-root").GetAttribute("data-theme")), WaitTimeout);
    }
}
