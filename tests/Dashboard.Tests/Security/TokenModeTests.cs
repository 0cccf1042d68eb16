using System.Net;
using System.Text.RegularExpressions;
using Dashboard.Emulator;
using Dashboard.Emulator.Auth;
using Dashboard.Hubs;
using Dashboard.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Dashboard.Tests.Security;

/// <summary>Auth:Mode Token over real HTTP: the emulator answers the TokenReview and SubjectAccessReviews from its policy.</summary>
public sealed partial class TokenModeTests : IAsyncLifetime
{
    private const string AliceToken = "alice-secret-token-0123456789";
    private const string Policy = $$"""
        {
          "tokens": { "{{AliceToken}}": { "user": "alice", "groups": ["ml"] } },
          "users": { "alice": ["team-a"] }
        }
        """;

    private EmulatorHost _emulator = null!;
    private SecurityTestServer _server = null!;
    private readonly TempFolder _folder = new("security-tests-");

    public async Task InitializeAsync()
    {
        _emulator = await EmulatorHost.StartAsync(new EmulatorOptions
        {
            Namespaces = ["team-a", "team-b"],
            Jobs = 6,
            EventsPerSecond = 0,
            IncludeExampleJob = false,
            Policy = AccessPolicy.Parse(Policy),
        });
        _server = new SecurityTestServer(new Dictionary<string, string?>
        {
            ["Kubernetes:Mode"] = "KubeConfig",
            ["Kubernetes:KubeConfigPath"] = _folder.WriteKubeConfig(_emulator.BaseAddress),
            ["Auth:Mode"] = "Token",
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _emulator.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task Anonymous_requests_go_to_the_sign_in_form_or_get_401()
    {
        using var browser = Browser(out _);

        using var page = await browser.GetAsync("/jobs?namespace=team-a");
        using var api = await browser.GetAsync("/api/jobs?namespace=team-a");
        using var hub = await browser.PostAsync("/hubs/jobs/negotiate?negotiateVersion=1", null);
        using var form = await browser.GetAsync(page.Headers.Location!.OriginalString);

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, hub.StatusCode);
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        var html = await form.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"token-input\"", html, StringComparison.Ordinal);
        Assert.Matches(AntiforgeryField(), html);
    }

    [Fact]
    public async Task A_valid_token_starts_a_cookie_session_that_sees_only_the_allowed_namespace_until_sign_out()
    {
        using var browser = Browser(out var cookies);

        using var signedIn = await SignInAsync(browser, AliceToken, "/jobs?namespace=team-a");

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/jobs?namespace=team-a", signedIn.Headers.Location?.OriginalString);
        var session = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("dashboard.session=", StringComparison.Ordinal));
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", session, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", session.Replace("samesite", "", StringComparison.OrdinalIgnoreCase), StringComparison.OrdinalIgnoreCase); // plain http here

        using var allowed = await browser.GetAsync("/api/jobs?namespace=team-a");
        using var forbidden = await browser.GetAsync("/api/jobs?namespace=team-b");
        using var forbiddenPage = await browser.GetAsync("/jobs?namespace=team-b");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbiddenPage.StatusCode);

        // The hub rides on the same cookie.
        await using (var hub = HubWithCookies(cookies))
        {
            await hub.StartAsync();
            await Assert.ThrowsAsync<HubException>(async () =>
            {
                await foreach (var _ in hub.StreamAsync<JobStreamMessage>("StreamJobs", "team-b", null))
                {
                }
            });
        }

        // Sign out (a form post with its antiforgery token): the session is gone.
        using var account = await browser.GetAsync("/signin");
        var accountHtml = await account.Content.ReadAsStringAsync();
        Assert.Contains("alice", accountHtml, StringComparison.Ordinal);
        using var signOut = await browser.PostAsync("/signout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AntiforgeryField().Match(accountHtml).Groups["value"].Value,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        using var afterSignOut = await browser.GetAsync("/api/jobs?namespace=team-a");
        Assert.Equal(HttpStatusCode.Unauthorized, afterSignOut.StatusCode);
    }

    [Fact]
    public async Task A_wrong_token_is_refused_without_echoing_it_and_the_form_needs_its_antiforgery_token()
    {
        using var browser = Browser(out _);
        const string wrong = "not-a-real-token-9876543210";

        using var refused = await SignInAsync(browser, wrong, "/jobs");
        using var forged = await browser.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = AliceToken }));
        using var offsite = await SignInAsync(Browser(out _), AliceToken, "//evil.example/");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Contains("sign-in-error", html, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal("/jobs", offsite.Headers.Location?.OriginalString); // no open redirect
    }

    private HttpClient Browser(out CookieContainer cookies)
    {
        cookies = new CookieContainer();
        return new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies, UseCookies = true }) { BaseAddress = _server.BaseAddress };
    }

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string token, string returnUrl)
    {
        using var form = await browser.GetAsync("/signin?returnUrl=" + Uri.EscapeDataString(returnUrl));
        var html = await form.Content.ReadAsStringAsync();
        var antiforgery = AntiforgeryField().Match(html);
        Assert.True(antiforgery.Success, "the form carries an antiforgery token");
        return await browser.PostAsync("/signin?returnUrl=" + Uri.EscapeDataString(returnUrl), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(antiforgery.Groups["value"].Value),
            ["token"] = token,
        }));
    }

    private HubConnection HubWithCookies(CookieContainer cookies) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(_server.BaseAddress, JobHubEndpoints.Path), options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                options.SkipNegotiation = true;
                options.Cookies = cookies;
            })
            .Build();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"(?<value>[^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
