using Dashboard.EndToEnd.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dashboard.EndToEnd.Tests.Tests;

/// <summary>Pictures of the main pages, kept as test artifacts (see <see cref="TestPaths.ScreenshotDirectory"/>).</summary>
[Collection(EndToEndCollection.Name)]
public sealed class ScreenshotTests(EndToEndFixture fixture)
{
    [Fact]
    public Task Screenshots_of_the_jobs_detail_and_timeline_pages_are_saved() =>
        fixture.RunInBrowserAsync(nameof(Screenshots_of_the_jobs_detail_and_timeline_pages_are_saved), async session =>
        {
            var page = session.Page;
            var saved = new List<string>();

            await session.GotoAsync("/jobs");
            await Expect(Hooks.Banner(page)).ToHaveAttributeAsync("data-phase", "Live");
            await Expect(Hooks.Row(page, "kube-test", "pytorch-test")).ToBeVisibleAsync();
            saved.Add(await SaveAsync(page, "jobs.png"));

            await session.GotoAsync("/jobs/kube-test/pytorch-test");
            await Expect(Hooks.ReplicaPanel(page, "Worker")).ToBeVisibleAsync();
            await Expect(Hooks.Banner(page)).ToHaveAttributeAsync("data-phase", "Live");
            saved.Add(await SaveAsync(page, "job-detail.png"));

            await session.GotoAsync("/timeline");
            await Expect(Hooks.Banner(page)).ToHaveAttributeAsync("data-phase", "Live");
            await Expect(page.GetByTestId("timeline-bar").First).ToBeVisibleAsync();
            saved.Add(await SaveAsync(page, "timeline.png"));

            // The dark theme too: contrast problems show up there first.
            await session.GotoAsync("/jobs?namespace=team-a");
            await page.GetByTestId("theme-toggle").ClickAsync();
            await Expect(page.Locator(".app-root")).ToHaveAttributeAsync("data-theme", "dark");
            await Expect(Hooks.Rows(page).First).ToBeVisibleAsync();
            saved.Add(await SaveAsync(page, "jobs-dark.png"));

            foreach (var path in saved)
            {
                Assert.True(new FileInfo(path).Length > 10_000, $"{path} is suspiciously small for a screenshot of a page.");
            }
        });

    private static Task<string> SaveAsync(IPage page, string fileName) =>
        BrowserSession.SaveScreenshotAsync(page, TestPaths.ScreenshotDirectory, fileName);
}
