using System.Net;
using System.Text.RegularExpressions;
using Dashboard.Emulator;
using Dashboard.Emulator.Auth;
using Dashboard.Tests.Infrastructure;

namespace Dashboard.Tests.Security;

/// <summary>Auth:DataProtectionKeysPath: a session cookie from one dashboard process is good in another sharing the keys.</summary>
public sealed partial class SessionKeysTests : IAsyncLifetime
{
    private const string AliceToken = "alice-secret-token-0123456789";
    private const string Policy = $$"""
        {
          "tokens": { "{{AliceToken}}": { "user": "alice", "groups": ["ml"] } },
          "users": { "alice": ["team-a"] }
        }
        """;

    private EmulatorHost _emulator = null!;
    private readonly TempFolder _folder = new("session-keys-tests-");

    public async Task InitializeAsync() => _emulator = await EmulatorHost.StartAsync(new EmulatorOptions
    {
        Namespaces = ["team-a"],
        Jobs = 2,
        EventsPerSecond = 0,
        IncludeExampleJob = false,
        Policy = AccessPolicy.Parse(Policy),
    });

    public async Task DisposeAsync()
    {
        await _emulator.DisposeAsync();
        _folder.Dispose();
    }

    private SecurityTestServer Dashboard(string? keysPath) => new(new Dictionary<string, string?>
    {
        ["Kubernetes:Mode"] = "KubeConfig",
        ["Kubernetes:KubeConfigPath"] = _folder.WriteKubeConfig(_emulator.BaseAddress),
        ["Auth:Mode"] = "Token",
        ["Auth:DataProtectionKeysPath"] = keysPath,
    });

    [Fact]
    public async Task A_session_started_on_one_process_is_honoured_by_another_sharing_the_key_folder_only()
    {
        var keys = _folder.File("keys");
        await using var first = Dashboard(keys);
        await using var restarted = Dashboard(keys);
        await using var unshared = Dashboard(null);

        var cookie = await SignInAsync(first.BaseAddress);

        Assert.Equal(HttpStatusCode.OK, await GetJobsAsync(first.BaseAddress, cookie));
        Assert.Equal(HttpStatusCode.OK, await GetJobsAsync(restarted.BaseAddress, cookie));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetJobsAsync(unshared.BaseAddress, cookie));
        Assert.NotEmpty(Directory.GetFiles(keys, "key-*.xml"));
    }

    private static async Task<HttpStatusCode> GetJobsAsync(Uri server, string cookie)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = server };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/jobs?namespace=team-a");
        request.Headers.Add("Cookie", cookie);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Signs in through the form and returns the session cookie ("name=value").</summary>
    private static async Task<string> SignInAsync(Uri server)
    {
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies, UseCookies = true }) { BaseAddress = server };
        using var form = await browser.GetAsync("/signin?returnUrl=%2Fjobs");
        var antiforgery = AntiforgeryField().Match(await form.Content.ReadAsStringAsync());
        Assert.True(antiforgery.Success, "the form carries an antiforgery token");
        using var signedIn = await browser.PostAsync("/signin?returnUrl=%2Fjobs", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(antiforgery.Groups["value"].Value),
            ["token"] = AliceToken,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var session = cookies.GetCookies(server).Single(c => c.Name == "dashboard.session");
        return $"{session.Name}={session.Value}";
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"(?<value>[^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
