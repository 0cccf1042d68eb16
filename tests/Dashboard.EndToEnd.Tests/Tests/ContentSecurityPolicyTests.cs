using Dashboard.EndToEnd.Tests.Infrastructure;
using Dashboard.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dashboard.EndToEnd.Tests.Tests;

/// <summary>
/// The dashboard under its Content-Security-Policy in real Chromium: the grid, a detail page and live updates all
/// work, and the browser reports no violation (Chromium logs each as a console error, which fails the session).
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ContentSecurityPolicyTests(EndToEndFixture fixture)
{
    [Fact]
    public async Task The_app_works_under_its_content_security_policy_without_violations()
    {
        // The shared server plus the security middleware (Program may already add it; adding it twice is harmless).
        await using var server = DashboardServer.Start(fixture.Emulator.BaseAddress, configure: builder => builder.ConfigureServices((context, services) =>
        {
            services.AddDashboardSecurityServices(context.Configuration);
            services.AddTransient<IStartupFilter, DashboardSecurityStartupFilter>();
        }));

        await BrowserSession.RunAsync(fixture.Browser, server, nameof(The_app_works_under_its_content_security_policy_without_violations), async session =>
        {
            var page = session.Page;
            var violations = new List<string>();
            await page.ExposeFunctionAsync("reportCspViolation", (string text) => { lock (violations) { violations.Add(text); } });
            await page.AddInitScriptAsync("document.addEventListener('securitypolicyviolation', e => window.reportCspViolation(e.violatedDirective + ' ' + e.blockedURI));");

            var target = (await fixture.Api.ListAsync("team-a"))[0].Metadata.Name;
            var response = await page.GotoAsync("/jobs?namespace=team-a");
            Assert.NotNull(response);
            var policy = await response.HeaderValueAsync("content-security-policy");
            Assert.NotNull(policy);
            Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
            Assert.DoesNotContain("'unsafe-inline'", policy.Split(';').Single(d => d.Trim().StartsWith("script-src", StringComparison.Ordinal)), StringComparison.Ordinal);
            await BrowserSession.WaitForCircuitAsync(page);

            // Interactive: the grid fills over the circuit's WebSocket, and navigation works.
            var row = Hooks.Row(page, "team-a", target);
            await Expect(row).ToBeVisibleAsync();
            await Expect(Hooks.Banner(page)).ToHaveAttributeAsync("data-phase", "Live");
            await row.GetByTestId("cell-name").GetByRole(AriaRole.Link).ClickAsync();
            await Expect(Hooks.Detail(page)).ToHaveAttributeAsync("data-job", "team-a/" + target);

            // A live change arrives while the policy is on.
            await fixture.Api.AddConditionAsync("team-a", target, "Running", "PyTorchJobRunning", "probe under the CSP");
            await Expect(page.GetByText("probe under the CSP").First).ToBeVisibleAsync();
            lock (violations)
            {
                Assert.Empty(violations);
            }

            // A script the policy must stop: an inline one added at run time (the page's own are all external or hashed).
            await page.EvaluateAsync("() => { const s = document.createElement('script'); s.textContent = 'window.__cspInlineRan = true'; document.body.appendChild(s); }");
            session.AllowConsoleError("Content Security Policy"); // the probe's own refusal; the list below proves it is the only one
            var refused = await Eventually.SucceedsAsync(
                () =>
                {
                    lock (violations)
                    {
                        return Task.FromResult(violations.Count > 0 ? violations.ToArray() : throw new InvalidOperationException("no violation reported yet"));
                    }
                },
                TimeSpan.FromSeconds(10),
                "the probe's violation to be reported");
            Assert.False(await page.EvaluateAsync<bool>("() => window.__cspInlineRan === true"));
            Assert.StartsWith("script-src", Assert.Single(refused), StringComparison.Ordinal);
            await Expect(page.Locator("body")).ToHaveAttributeAsync("data-circuit", "on");
        });
    }
}
