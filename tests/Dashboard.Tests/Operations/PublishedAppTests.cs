using System.Diagnostics;
using System.Net;
using System.Text;

namespace Dashboard.Tests.Operations;

/// <summary>
/// What the container image runs: `dotnet publish -c Release src/Dashboard`, started from its output folder
/// (once per test run; about a minute), serving /healthz and the Prometheus metrics after a sync.
/// </summary>
public sealed partial class PublishedAppTests
{
    public static readonly string[] MetricNames =
    [
        "dashboard_kubernetes_list_duration_seconds_bucket",
        "dashboard_kubernetes_list_pages_total",
        "dashboard_kubernetes_watch_restarts_total",
        "dashboard_kubernetes_events_applied_total",
        "dashboard_kubernetes_cache_jobs",
        "dashboard_kubernetes_subscribers",
        "dashboard_circuits_open",
    ];

    [Fact]
    public async Task The_published_app_serves_health_and_metrics_and_stops_cleanly()
    {
        var output = Directory.CreateTempSubdirectory("dashboard-publish-").FullName;
        try
        {
            await PublishAsync(output);
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            await using var dashboard = DashboardProcess.Start(Path.Combine(output, "Dashboard.dll"), new Dictionary<string, string?>
            {
                ["Kubernetes__Mode"] = "Emulator",
                ["Emulator__Port"] = "0", // any free port, read back from the app's log line
                ["Emulator__EventsPerSecond"] = "20",
            });

            await dashboard.WaitForStatusAsync(client, "/healthz", HttpStatusCode.OK, TimeSpan.FromSeconds(60));
            await dashboard.WaitForStatusAsync(client, "/readyz", HttpStatusCode.OK, TimeSpan.FromSeconds(60));

            // Cut every watch after one event: the watch restarts, and that is counted by reason.
            var emulatorLine = await dashboard.WaitForOutputAsync(EmulatorListening(), TimeSpan.FromSeconds(10));
            var emulator = new Uri(emulatorLine.Groups[1].Value + "/");
            using (var cut = await client.PutAsync(new Uri(emulator, "/emulator/faults"), new StringContent("""{"cutWatchAfter":1}""", Encoding.UTF8, "application/json")))
            {
                cut.EnsureSuccessStatusCode();
            }

            var metrics = "";
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(30) && !MetricNames.All(metrics.Contains))
            {
                metrics = await client.GetStringAsync(new Uri(dashboard.BaseAddress, "/metrics"));
                await Task.Delay(200);
            }

            Assert.All(MetricNames, name => Assert.Contains(name, metrics, StringComparison.Ordinal));
            Assert.Contains("reason=\"closed\"", metrics, StringComparison.Ordinal);
            Assert.Contains("dashboard_kubernetes_cache_jobs{otel_scope_name=\"Dashboard.Kubernetes\",namespace=\"*\"} 61", metrics, StringComparison.Ordinal);

            // SIGTERM, as Kubernetes stops a pod: a clean exit, and nothing thrown on the way out.
            var exitCode = await dashboard.StopAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(0, exitCode);
            Assert.Contains("Stopping 1 namespace caches", dashboard.StandardOutput, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", dashboard.StandardOutput + dashboard.StandardError, StringComparison.Ordinal);
            Assert.DoesNotContain("fail:", dashboard.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private static async Task PublishAsync(string output)
    {
        // Its own artifacts folder: never the default bin/obj that parallel builds use.
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "publish", "src/Dashboard/Dashboard.csproj", "-c", "Release", "-o", output, "--artifacts-path", Path.Combine(output, ".artifacts"), "-nologo" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"dotnet publish failed:\n{await stdout}\n{await stderr}");
        Assert.True(File.Exists(Path.Combine(output, "Dashboard.dll")));
    }

    private static string RepoRoot => Deployment.RepoPaths.Root;

    [System.Text.RegularExpressions.GeneratedRegex(@"Embedded Kubernetes API emulator listening on (http://127\.0\.0\.1:\d+)")]
    private static partial System.Text.RegularExpressions.Regex EmulatorListening();
}
