using Dashboard.Emulator;
using Dashboard.Emulator.Auth;
using Dashboard.EndToEnd.Tests.Infrastructure;
using Dashboard.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace Dashboard.EndToEnd.Tests.Tests;

/// <summary>
/// Auth:Mode Token in real Chromium against its own emulator with a policy (alice may read team-a only): sign in
/// with a token, the live grid works over the cookie session, a forbidden namespace shows a 403 page both on a
/// fresh load and on in-app navigation, and sign out ends the session.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class AccessControlTests(EndToEndFixture fixture)
{
    private const string AliceToken = "e2e-alice-token-5f1c";

    [Fact]
    public async Task Signing_in_with_a_token_shows_only_the_namespaces_the_user_may_read_until_sign_out()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions
        {
            Namespaces = ["team-a", "team-b"],
            Jobs = 8,
            Seed = 11,
            EventsPerSecond = 0,
            IncludeExampleJob = false,
            Policy = AccessPolicy.Parse($$"""{ "tokens": { "{{AliceToken}}": { "user": "alice" } }, "users": { "alice": ["team-a"] } }"""),
        });
        var teamA = emulator.Store.JobCountsByNamespace()["team-a"];
        await using var server = DashboardServer.Start(
            emulator.BaseAddress,
            new Dictionary<string, string?> { ["Auth:Mode"] = "Token" },
            builder => builder.ConfigureServices((context, services) =>
            {
                services.AddDashboardSecurityServices(context.Configuration);
                services.AddTransient<IStartupFilter, DashboardSecurityStartupFilter>();
            }));

        await BrowserSession.RunAsync(fixture.Browser, server, nameof(Signing_in_with_a_token_shows_only_the_namespaces_the_user_may_read_until_sign_out), async session =>
        {
            var page = session.Page;
            session.AllowConsoleError("403"); // Chromium logs the forbidden page's status as a console error

            // Anonymous: the page sends us to the sign-in form.
            await page.GotoAsync("/jobs?namespace=team-a");
            await Expect(page.GetByTestId("token-input")).ToBeVisibleAsync();
            await page.GetByTestId("token-input").FillAsync(AliceToken);
            await page.GetByTestId("sign-in").ClickAsync();

            // Signed in: back where we were going, live over the session cookie.
            await Expect(page).ToHaveURLAsync(server.Url("/jobs?namespace=team-a"));
            await BrowserSession.WaitForCircuitAsync(page);
            await Expect(Hooks.Banner(page)).ToHaveAttributeAsync("data-phase", "Live");
            await Expect(Hooks.Rows(page)).ToHaveCountAsync(teamA);
            await Expect(page.GetByTestId("user-badge")).ToHaveTextAsync("alice");

            // In-app navigation to a forbidden namespace: the circuit's user is checked too.
            await page.EvaluateAsync("() => Blazor.navigateTo('/jobs?namespace=team-b')");
            await Expect(page.GetByTestId("forbidden")).ToContainTextAsync("team-b");
            await Expect(Hooks.Rows(page)).ToHaveCountAsync(0);

            // A fresh load of it: a 403 page.
            var forbidden = await page.GotoAsync("/jobs?namespace=team-b");
            Assert.Equal(403, forbidden?.Status);
            await Expect(page.GetByTestId("forbidden")).ToBeVisibleAsync();

            // Sign out from the account page: the session is over.
            await page.GotoAsync("/signin");
            await page.GetByTestId("sign-out").ClickAsync();
            await Expect(page.GetByTestId("token-input")).ToBeVisibleAsync();
            await page.GotoAsync("/jobs?namespace=team-a");
            await Expect(page.GetByTestId("token-input")).ToBeVisibleAsync();
        });
    }
}
