using System.Net;
using System.Text.Json;
using Dashboard.Emulator;
using Dashboard.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Dashboard.Tests.Operations;

/// <summary>The app starts and serves jobs in each connection mode, and says what it is connected to.</summary>
public sealed class ModeStartupTests : IAsyncLifetime
{
    private const string Token = "ops-test-token";
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private readonly TempFolder _folder = new("dashboard-ops-");
    private readonly HttpClient _client = new() { Timeout = TimeSpan.FromSeconds(30) };
    private EmulatorHost _emulator = null!;

    public async Task InitializeAsync() => _emulator = await EmulatorHost.StartAsync(new EmulatorOptions
    {
        Namespaces = ["team-a"],
        Jobs = 5,
        EventsPerSecond = 0,
        IncludeExampleJob = false,
        Token = Token,
    });

    public async Task DisposeAsync()
    {
        await _emulator.DisposeAsync();
        _client.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task KubeConfig_mode_uses_the_named_context_and_its_token()
    {
        var path = _folder.Write("config", KubeConfig.TwoContexts(_emulator.BaseAddress, Token));
        await using var app = new ConfiguredApp(new Dictionary<string, string>
        {
            ["Kubernetes:Mode"] = "KubeConfig",
            ["Kubernetes:KubeConfigPath"] = path,
            ["Kubernetes:Context"] = "emulator", // not the current-context, whose token is wrong
            ["Kubernetes:Namespaces:0"] = "team-a",
        });
        using var client = app.CreateClient();

        await WaitForStatusAsync(client, "/readyz", HttpStatusCode.OK);

        Assert.Equal(5, await CountJobsAsync(client, "team-a"));
        var page = WebUtility.HtmlDecode(await client.GetStringAsync(new Uri("/jobs", UriKind.Relative)));
        Assert.Contains($"emulator ({_emulator.BaseAddress.ToString().TrimEnd('/')})", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readiness_says_why_not_when_the_credentials_are_refused()
    {
        var path = _folder.Write("config", KubeConfig.TwoContexts(_emulator.BaseAddress, Token));
        await using var app = new ConfiguredApp(new Dictionary<string, string>
        {
            ["Kubernetes:Mode"] = "KubeConfig",
            ["Kubernetes:KubeConfigPath"] = path, // the current-context's token is wrong
            ["Kubernetes:Namespaces:0"] = "team-a",
        });
        using var client = app.CreateClient();

        await WaitForStatusAsync(client, "/readyz", HttpStatusCode.ServiceUnavailable, body => body.Contains("401", StringComparison.Ordinal));

        using var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("not ready", document.RootElement.GetProperty("status").GetString());
        Assert.StartsWith("namespace 'team-a': Error (Unauthorized 401: ", document.RootElement.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Emulator_mode_serves_demo_data_and_says_so()
    {
        await using var dashboard = DashboardProcess.Start(DashboardProcess.BuiltAssembly, new Dictionary<string, string?>
        {
            ["Kubernetes__Mode"] = "Emulator",
            ["Emulator__EventsPerSecond"] = "0",
        });

        await dashboard.WaitForStatusAsync(_client, "/readyz", HttpStatusCode.OK, ReadyTimeout);

        Assert.Equal(1, await CountJobsAsync(_client, "kube-test", dashboard.BaseAddress)); // the reference example job
        var page = WebUtility.HtmlDecode(await _client.GetStringAsync(new Uri(dashboard.BaseAddress, "/jobs")));
        Assert.Contains("Embedded emulator — demo data", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InCluster_mode_uses_the_mounted_service_account_over_tls()
    {
        await using var apiServer = await TlsProxy.StartAsync(_emulator.BaseAddress);
        var account = Directory.CreateDirectory(_folder.File("serviceaccount")).FullName;
        await File.WriteAllTextAsync(Path.Combine(account, "token"), Token + "\n");
        await File.WriteAllTextAsync(Path.Combine(account, "ca.crt"), apiServer.CaPem);
        await File.WriteAllTextAsync(Path.Combine(account, "namespace"), "dashboards");

        await using var dashboard = DashboardProcess.Start(DashboardProcess.BuiltAssembly, new Dictionary<string, string?>
        {
            ["Kubernetes__Mode"] = "InCluster",
            ["Kubernetes__ServiceAccountPath"] = account,
            ["Kubernetes__Namespaces__0"] = "team-a",
            ["KUBERNETES_SERVICE_HOST"] = apiServer.BaseAddress.Host,
            ["KUBERNETES_SERVICE_PORT"] = apiServer.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

        await dashboard.WaitForStatusAsync(_client, "/readyz", HttpStatusCode.OK, ReadyTimeout);

        Assert.Equal(5, await CountJobsAsync(_client, "team-a", dashboard.BaseAddress));
        var page = WebUtility.HtmlDecode(await _client.GetStringAsync(new Uri(dashboard.BaseAddress, "/jobs")));
        Assert.Contains($"https://127.0.0.1:{apiServer.BaseAddress.Port}", page, StringComparison.Ordinal);
    }

    private static async Task<int> CountJobsAsync(HttpClient client, string @namespace, Uri? baseAddress = null)
    {
        var uri = new Uri($"/api/jobs?namespace={@namespace}", UriKind.Relative);
        using var document = JsonDocument.Parse(await client.GetStringAsync(baseAddress is null ? uri : new Uri(baseAddress, uri)));
        return document.RootElement.GetProperty("items").GetArrayLength();
    }

    private static async Task WaitForStatusAsync(HttpClient client, string path, HttpStatusCode status, Func<string, bool>? body = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var last = "";
        while (clock.Elapsed < ReadyTimeout)
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            last = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == status && (body is null || body(last)))
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"GET {path} did not answer {(int)status}; last: {last}");
    }

    /// <summary>Program with settings of the test's own (KubeConfig mode against the test's emulator).</summary>
    private sealed class ConfiguredApp(IReadOnlyDictionary<string, string> settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }
}
