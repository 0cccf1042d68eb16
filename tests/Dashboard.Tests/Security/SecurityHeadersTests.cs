using System.Net;
using Microsoft.AspNetCore.SignalR.Client;

namespace Dashboard.Tests.Security;

/// <summary>Every kind of response carries the security headers, and the policy allows only what the app uses.</summary>
public sealed class SecurityHeadersTests : IAsyncLifetime
{
    private SecurityTestServer _server = null!;
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _server = new SecurityTestServer(new Dictionary<string, string?>
        {
            ["Kubernetes:Mode"] = "Emulator",
            ["Emulator:Namespaces:0"] = "team-a",
            ["Emulator:Jobs"] = "4",
            ["Emulator:EventsPerSecond"] = "0",
        });
        _client = _server.CreatePlainClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Theory]
    [InlineData("/jobs")]
    [InlineData("/api/jobs?namespace=team-a")]
    [InlineData("/api/namespaces")]
    [InlineData("/app.css")]
    [InlineData("/_framework/blazor.web.js")]
    [InlineData("/_content/MudBlazor/MudBlazor.min.js")]
    [InlineData("/healthz")]
    [InlineData("/no-such-page")]
    public async Task Every_response_carries_the_security_headers(string path)
    {
        using var response = await _client.GetAsync(path);

        Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
        var policy = Header(response, "Content-Security-Policy");
        Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("same-origin", Header(response, "Referrer-Policy"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
    }

    [Fact]
    public async Task Scripts_are_never_allowed_inline_except_the_page_import_map_by_its_hash()
    {
        using var response = await _client.GetAsync("/jobs");
        var html = await response.Content.ReadAsStringAsync();
        var scriptSources = Directive(Header(response, "Content-Security-Policy"), "script-src");

        Assert.DoesNotContain("'unsafe-inline'", scriptSources);
        Assert.Contains("'self'", scriptSources);
        var hashes = scriptSources.Where(s => s.StartsWith("'sha256-", StringComparison.Ordinal)).ToArray();
        var importMap = InlineScripts(html).ToArray();
        Assert.Equal(importMap.Length, hashes.Length);
        foreach (var script in importMap)
        {
            var hash = "'sha256-" + Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(script))) + "'";
            Assert.Contains(hash, hashes);
        }
    }

    [Fact]
    public async Task The_hub_refuses_messages_over_32_KB()
    {
        await using var connection = _server.CreateHubConnection();
        await connection.StartAsync();
        var huge = new string('a', 40 * 1024);

        // Too big a message closes the connection rather than reaching the hub method.
        var closed = new TaskCompletionSource();
        connection.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };
        _ = connection.SendAsync("StreamJobs", huge, null).ContinueWith(_ => { }, TaskScheduler.Default);
        var finished = await Task.WhenAny(closed.Task, Task.Delay(TimeSpan.FromSeconds(10)));

        Assert.Same(closed.Task, finished);
        Assert.Equal(32 * 1024, Dashboard.Hubs.JobHubEndpoints.MaximumReceiveMessageSize);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : response.Content.Headers.TryGetValues(name, out var contentValues) ? string.Join(",", contentValues)
        : throw new Xunit.Sdk.XunitException($"{name} missing on {response.RequestMessage?.RequestUri} ({(int)response.StatusCode})");

    private static string[] Directive(string policy, string name) =>
        policy.Split(';', StringSplitOptions.TrimEntries)
            .Select(d => d.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Single(parts => parts[0] == name)[1..];

    // The bodies of <script> elements without src (only the import map is expected).
    private static IEnumerable<string> InlineScripts(string html)
    {
        foreach (System.Text.RegularExpressions.Match match in System.Text.RegularExpressions.Regex.Matches(html, "<script(?<attrs>[^>]*)>(?<body>.*?)</script>", System.Text.RegularExpressions.RegexOptions.Singleline))
        {
            if (!match.Groups["attrs"].Value.Contains("src=", StringComparison.Ordinal))
            {
                yield return match.Groups["body"].Value;
            }
        }
    }
}
