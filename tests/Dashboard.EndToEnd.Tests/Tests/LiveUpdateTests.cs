using Dashboard.EndToEnd.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dashboard.EndToEnd.Tests.Tests;

/// <summary>A change written to the API reaches open pages by itself.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class LiveUpdateTests(EndToEndFixture fixture)
{
    [Fact]
    public Task Status_change_through_the_api_appears_in_the_grid_and_the_open_detail_without_a_reload() =>
        fixture.RunInBrowserAsync(nameof(Status_change_through_the_api_appears_in_the_grid_and_the_open_detail_without_a_reload), async session =>
        {
            var grid = session.Page;
            await session.GotoAsync("/jobs?namespace=kube-test");
            var chip = Hooks.StateChip(Hooks.Row(grid, "kube-test", "pytorch-test"));
            await Expect(chip).ToHaveAttributeAsync("data-state", "Created");

            var detail = await session.NewPageAsync();
            await BrowserSession.GotoAsync(detail, "/jobs/kube-test/pytorch-test");
            var detailChip = Hooks.Detail(detail).GetByTestId("state-chip");
            await Expect(detailChip).ToHaveAttributeAsync("data-state", "Created");
            await Expect(Hooks.ConditionSteps(detail).And(detail.Locator("[data-type='Running']"))).ToHaveCountAsync(0);

            // A reload would drop this marker: its survival proves the pages were updated in place.
            await MarkDocumentAsync(grid);
            await MarkDocumentAsync(detail);

            var message = $"PyTorchJob pytorch-test is running ({Guid.NewGuid():N}).";
            await fixture.Api.AddConditionAsync("kube-test", "pytorch-test", "Running", "PyTorchJobRunning", message);

            await Expect(chip).ToHaveAttributeAsync("data-state", "Running");
            await Expect(chip).ToHaveTextAsync("Running");
            await Expect(detailChip).ToHaveAttributeAsync("data-state", "Running");
            var runningStep = Hooks.ConditionSteps(detail).And(detail.Locator("[data-type='Running']"));
            await Expect(runningStep).ToHaveCountAsync(1);
            await Expect(runningStep.GetByTestId("step-message")).ToHaveTextAsync(message);

            Assert.True(await IsMarkedAsync(grid), "The jobs page was reloaded.");
            Assert.True(await IsMarkedAsync(detail), "The detail page was reloaded.");
        });

    private static Task MarkDocumentAsync(IPage page) => page.EvaluateAsync("() => { window.__e2eNoReload = true; }");

    private static Task<bool> IsMarkedAsync(IPage page) => page.EvaluateAsync<bool>("() => window.__e2eNoReload === true");
}
