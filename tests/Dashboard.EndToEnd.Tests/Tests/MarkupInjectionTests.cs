using Dashboard.Emulator.Scenario;
using Dashboard.EndToEnd.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dashboard.EndToEnd.Tests.Tests;

/// <summary>Cluster strings are data: markup in names, annotations, condition messages and the URL shows as text and runs nothing.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class MarkupInjectionTests(EndToEndFixture fixture)
{
    private const string Namespace = "team-a";
    private const string ScriptPayload = "<script>window.__xss=1</script>";
    private const string ImagePayload = "<img src=x onerror=\"window.__xss=1\">";

    // Valid (a DNS subdomain), but odd: dots, double dashes, words a sanitizer might look for.
    private const string OddName = "0.script--img.onerror-x";

    [Fact]
    public Task Markup_in_names_annotations_and_condition_messages_shows_as_text_and_runs_nothing() =>
        fixture.RunInBrowserAsync(nameof(Markup_in_names_annotations_and_condition_messages_shows_as_text_and_runs_nothing), async session =>
        {
            var message = "Failed: " + ScriptPayload + " " + ImagePayload;
            await CreateHostileJobAsync(message);

            var page = session.Page;
            await session.GotoAsync($"/jobs?namespace={Namespace}");
            var row = Hooks.Row(page, Namespace, OddName);
            await Expect(row).ToBeVisibleAsync();
            await Expect(row.GetByTestId("cell-name")).ToHaveTextAsync(OddName);
            await Expect(Hooks.StateChip(row)).ToHaveAttributeAsync("data-state", "Running");
            await Expect(row.Locator("[data-testid='label-chip'][data-key='odd.example.com/weird_key']")).ToHaveTextAsync("odd.example.com/weird_key=a-b_c.d");
            await ExpectNothingRanAsync(page);

            await session.GotoAsync($"/jobs/{Namespace}/{OddName}");
            await Expect(Hooks.Detail(page).Locator("h1")).ToHaveTextAsync(OddName);
            await Expect(page.GetByTestId("detail-message")).ToHaveTextAsync(message);
            await Expect(Hooks.ConditionSteps(page).GetByTestId("step-message")).ToHaveTextAsync(message);
            var annotations = page.GetByTestId("detail-annotations");
            await Expect(annotations.Locator("dd").Filter(new LocatorFilterOptions { HasText = "<script>" })).ToHaveTextAsync(ScriptPayload);
            await Expect(annotations.Locator("dd").Filter(new LocatorFilterOptions { HasText = "<img" })).ToHaveTextAsync(ImagePayload);
            await Expect(page.GetByTestId("yaml-text")).ToContainTextAsync("window.__xss=1");
            await ExpectNothingRanAsync(page);
            await BrowserSession.SaveScreenshotAsync(page, TestPaths.ScreenshotDirectory, "job-detail-markup.png");

            await session.GotoAsync($"/timeline?namespace={Namespace}");
            await Expect(page.Locator($"[data-testid='timeline-bar-row'][data-job='{Namespace}/{OddName}']")).ToBeVisibleAsync();
            await ExpectNothingRanAsync(page);

            // A hostile selector in a shared link: echoed in the error as text only.
            await session.GotoAsync($"/jobs?namespace={Namespace}&labelSelector={Uri.EscapeDataString(ImagePayload)}");
            await Expect(Hooks.SelectorError(page)).ToBeVisibleAsync();
            await ExpectNothingRanAsync(page);
        });

    private async Task CreateHostileJobAsync(string conditionMessage)
    {
        var job = ExampleJob.Create();
        job.Metadata = new k8s.Models.V1ObjectMeta
        {
            Name = OddName,
            NamespaceProperty = Namespace,
            Labels = new Dictionary<string, string>
            {
                ["odd.example.com/weird_key"] = "a-b_c.d",
                ["team"] = "e2e-markup",
            },
            Annotations = new Dictionary<string, string>
            {
                ["e2e.example.com/script"] = ScriptPayload,
                ["e2e.example.com/img"] = ImagePayload,
            },
        };
        job.Status = null;
        await fixture.Api.CreateAsync(job);
        await fixture.Api.AddConditionAsync(Namespace, OddName, "Running", "PyTorchJobRunning", conditionMessage);
    }

    private static async Task ExpectNothingRanAsync(IPage page)
    {
        Assert.Equal("undefined", await page.EvaluateAsync<string>("() => typeof window.__xss"));
        // The payloads must not have become elements either (an <img src=x> would also fire a request).
        await Expect(page.Locator("img[src='x']")).ToHaveCountAsync(0);
        Assert.False(await page.EvaluateAsync<bool>("() => [...document.scripts].some(s => s.textContent.includes('__xss'))"));
    }
}
