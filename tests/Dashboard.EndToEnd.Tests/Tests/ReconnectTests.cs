using System.Globalization;
using Dashboard.Emulator;
using Dashboard.EndToEnd.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Dashboard.EndToEnd.Tests.Tests;

/// <summary>
/// The API going away and coming back. Uses its own emulator and dashboard (same browser) so the shared pair
/// stays undisturbed.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ReconnectTests(EndToEndFixture fixture)
{
    private const string Namespace = "team-a";

    // Short waits so the test sees Stale and recovery in seconds rather than the production half-minute.
    private static readonly Dictionary<string, string?> s_fastRetries = new()
    {
        ["Kubernetes:StaleAfter"] = "00:00:01",
        ["Kubernetes:InitialBackoff"] = "00:00:00.200",
        ["Kubernetes:MaxBackoff"] = "00:00:01",
        ["Kubernetes:ErrorRetryInterval"] = "00:00:01",
        ["Kubernetes:RequestTimeoutSeconds"] = "5",
    };

    private static readonly TimeSpan s_recoveryTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Stopping_the_api_shows_the_stale_banner_with_the_old_rows_and_restarting_it_recovers_by_itself()
    {
        EmulatorHost? emulator = await EmulatorHost.StartAsync(EndToEndFixture.QuietScenario());
        var port = emulator.BaseAddress.Port;
        var server = DashboardServer.Start(emulator.BaseAddress, s_fastRetries);
        try
        {
            await BrowserSession.RunAsync(fixture.Browser, server, nameof(Stopping_the_api_shows_the_stale_banner_with_the_old_rows_and_restarting_it_recovers_by_itself), async session =>
            {
                var page = session.Page;
                var banner = Hooks.Banner(page);
                int jobCount;
                using (var api = new EmulatorApi(emulator.BaseAddress))
                {
                    jobCount = (await api.ListAsync(Namespace)).Count;
                }

                Assert.True(jobCount > 0);
                var rowCount = jobCount.ToString(CultureInfo.InvariantCulture);
                await session.GotoAsync($"/jobs?namespace={Namespace}");
                await Expect(banner).ToHaveAttributeAsync("data-phase", "Live");
                await Expect(Hooks.Grid(page)).ToHaveAttributeAsync("data-row-count", rowCount);

                await emulator.DisposeAsync();
                emulator = null;
                await Expect(banner).ToHaveAttributeAsync("data-phase", "Stale", new() { Timeout = (float)s_recoveryTimeout.TotalMilliseconds });
                await Expect(banner.GetByTestId("sync-title")).ToContainTextAsync("Stale since");
                await Expect(Hooks.Grid(page)).ToHaveAttributeAsync("data-row-count", rowCount);
                await Expect(Hooks.Rows(page).First).ToBeVisibleAsync();
                await BrowserSession.SaveScreenshotAsync(page, TestPaths.ScreenshotDirectory, "jobs-stale.png");

                // The same address again; the port was just released, so binding may need a moment.
                emulator = await Eventually.SucceedsAsync(
                    () => EmulatorHost.StartAsync(EndToEndFixture.QuietScenario(port)), TimeSpan.FromSeconds(10), $"an emulator on port {port} again");
                await Expect(banner).ToHaveAttributeAsync("data-phase", "Live", new() { Timeout = (float)s_recoveryTimeout.TotalMilliseconds });
                await Expect(Hooks.Grid(page)).ToHaveAttributeAsync("data-row-count", rowCount);

                // Live again means watching again: a change on the new server reaches the open page.
                using var restartedApi = new EmulatorApi(emulator.BaseAddress);
                var job = (await restartedApi.ListAsync(Namespace))[0].Metadata.Name;
                await restartedApi.AddConditionAsync(Namespace, job, "Failed", "PyTorchJobFailed", "Failed after the API came back.");
                await Expect(Hooks.StateChip(Hooks.Row(page, Namespace, job))).ToHaveAttributeAsync("data-state", "Failed");
            });
        }
        finally
        {
            await server.DisposeAsync();
            if (emulator is not null)
            {
                await emulator.DisposeAsync();
            }
        }
    }
}
