using Microsoft.Playwright;

namespace Dashboard.EndToEnd.Tests.Infrastructure;

/// <summary>The dashboard's data-testid hooks, named once so a markup change is fixed in one place.</summary>
public static class Hooks
{
    public static ILocator Grid(IPage page) => page.GetByTestId("job-grid");

    public static ILocator Rows(IPage page) => page.GetByTestId("job-row");

    public static ILocator Row(IPage page, string @namespace, string name) =>
        page.Locator($"[data-testid='job-row'][data-job='{@namespace}/{name}']");

    public static ILocator StateChip(ILocator scope) => scope.GetByTestId("state-chip");

    public static ILocator Banner(IPage page) => page.GetByTestId("sync-banner");

    public static ILocator SelectorInput(IPage page) => page.GetByTestId("selector-input");

    public static ILocator SelectorError(IPage page) => page.GetByTestId("selector-error");

    public static ILocator Detail(IPage page) => page.GetByTestId("job-detail");

    public static ILocator ReplicaPanel(IPage page, string replicaType) => page.GetByTestId("replica-panel-" + replicaType);

    public static ILocator ConditionSteps(IPage page) => page.GetByTestId("condition-step");

    public static ILocator Timeline(IPage page) => page.GetByTestId("timeline");
}
