using Dashboard.EndToEnd.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dashboard.EndToEnd.Tests.Tests;

/// <summary>The reference page's example response, as the emulator serves it, seen through the dashboard.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class ExampleJobTests(EndToEndFixture fixture)
{
    private const string ExampleImage = "*.*.*.215:20202/gcs/pytorch-cpu:v1";

    [Fact]
    public Task Example_job_is_listed_and_its_detail_shows_master_and_worker_specs() =>
        fixture.RunInBrowserAsync(nameof(Example_job_is_listed_and_its_detail_shows_master_and_worker_specs), async session =>
        {
            var page = session.Page;
            await session.GotoAsync("/jobs?namespace=kube-test");

            var row = Hooks.Row(page, "kube-test", "pytorch-test");
            await Expect(row).ToBeVisibleAsync();
            await Expect(row.GetByTestId("cell-image")).ToHaveTextAsync(ExampleImage);

            // Reach the detail from the grid, as a person would: the circuit carries over.
            await row.GetByTestId("cell-name").GetByRole(AriaRole.Link).ClickAsync();
            await Expect(page).ToHaveURLAsync(session.Server.Url("/jobs/kube-test/pytorch-test"));
            await Expect(Hooks.Detail(page)).ToHaveAttributeAsync("data-job", "kube-test/pytorch-test");

            await ExpectReplicaPanelAsync(page, "Master", "Never");
            await ExpectReplicaPanelAsync(page, "Worker", "OnFailure");
        });

    [Fact]
    public Task A_job_opened_from_the_keyboard_gets_focus_back_after_going_back() =>
        fixture.RunInBrowserAsync(nameof(A_job_opened_from_the_keyboard_gets_focus_back_after_going_back), async session =>
        {
            var page = session.Page;
            await session.GotoAsync("/jobs?namespace=kube-test");
            var row = Hooks.Row(page, "kube-test", "pytorch-test");
            await Expect(row).ToBeVisibleAsync();

            await row.FocusAsync();
            await page.Keyboard.PressAsync("Enter");
            await Expect(Hooks.Detail(page)).ToHaveAttributeAsync("data-job", "kube-test/pytorch-test");
            await page.GoBackAsync();

            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("[?&]job=kube-test(%2F|/)pytorch-test"));
            await Expect(row).ToBeFocusedAsync();
        });

    [Fact]
    public Task The_skip_link_moves_keyboard_focus_past_the_facets_to_the_first_row() =>
        fixture.RunInBrowserAsync(nameof(The_skip_link_moves_keyboard_focus_past_the_facets_to_the_first_row), async session =>
        {
            var page = session.Page;
            await session.GotoAsync("/jobs?namespace=kube-test");
            var row = Hooks.Row(page, "kube-test", "pytorch-test");
            await Expect(row).ToBeVisibleAsync();

            await page.GetByTestId("skip-to-jobs").FocusAsync();
            await Expect(page.GetByTestId("skip-to-jobs")).ToBeVisibleAsync(); // shown while focused
            await page.Keyboard.PressAsync("Enter");

            await Expect(page.GetByTestId("job-row").First).ToBeFocusedAsync();
        });

    private static async Task ExpectReplicaPanelAsync(IPage page, string replicaType, string restartPolicy)
    {
        var panel = Hooks.ReplicaPanel(page, replicaType);
        await Expect(panel).ToBeVisibleAsync();
        await Expect(panel.GetByTestId("replica-count")).ToHaveTextAsync("1");
        await Expect(panel.GetByTestId("restart-policy")).ToHaveTextAsync(restartPolicy);

        var container = panel.Locator("[data-testid='container'][data-container='pytorch']");
        await Expect(container).ToHaveCountAsync(1);
        await Expect(container.GetByTestId("container-image")).ToHaveTextAsync(ExampleImage);
        await Expect(container.GetByTestId("container-command")).ToHaveTextAsync("python /var/mnist.py");
        await Expect(container.GetByTestId("container-args")).ToHaveTextAsync("--backend gloo");

        await ExpectResourceAsync(container, "cpu", "2");
        await ExpectResourceAsync(container, "memory", "4Gi");
    }

    private static async Task ExpectResourceAsync(ILocator container, string resource, string quantity)
    {
        var row = container.Locator($"[data-testid='resource'][data-resource='{resource}']");
        await Expect(row.GetByTestId("resource-request")).ToHaveTextAsync(quantity);
        await Expect(row.GetByTestId("resource-limit")).ToHaveTextAsync(quantity);
    }
}
