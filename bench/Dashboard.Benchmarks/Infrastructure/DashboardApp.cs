using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace Dashboard.Benchmarks.Infrastructure;

/// <summary>The dashboard (src/Dashboard) built in Release into its own artifacts folder and run as its own process.</summary>
internal sealed class DashboardApp : IAsyncDisposable
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly ChildProcess _process;

    private DashboardApp(ChildProcess process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    public static string RepoRoot() =>
        typeof(DashboardApp).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "RepoRoot")?.Value
        ?? throw new InvalidOperationException("RepoRoot assembly metadata missing (see Directory.Build.props).");

    /// <summary>dotnet build -c Release src/Dashboard --artifacts-path DIR; returns the path of Dashboard.dll.</summary>
    public static Task<string> BuildAsync(string artifactsPath, CancellationToken cancellationToken) =>
        RunDotnetAsync("build", artifactsPath, Path.Combine(artifactsPath, "bin", "Dashboard", "release", "Dashboard.dll"), cancellationToken);

    /// <summary>
    /// dotnet publish -c Release src/Dashboard --artifacts-path DIR (as the Dockerfile does); returns the path of Dashboard.dll.
    /// Pages need this: a build's output serves its static web assets (blazor.web.js, MudBlazor's files) only in Development.
    /// </summary>
    public static Task<string> PublishAsync(string artifactsPath, CancellationToken cancellationToken) =>
        RunDotnetAsync("publish", artifactsPath, Path.Combine(artifactsPath, "publish", "Dashboard", "release", "Dashboard.dll"), cancellationToken);

    private static async Task<string> RunDotnetAsync(string verb, string artifactsPath, string dll, CancellationToken cancellationToken)
    {
        var project = Path.Combine(RepoRoot(), "src", "Dashboard", "Dashboard.csproj");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { verb, project, "-c", "Release", "--artifacts-path", artifactsPath, "-nologo", "-v", "quiet" })
        {
            info.ArgumentList.Add(argument);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(BuildTimeout);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"dotnet {verb} did not start.");
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {verb} src/Dashboard failed:{Environment.NewLine}{await output}{await errors}");
        }

        return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} not found after dotnet {verb}.");
    }

    /// <summary>Starts the app in KubeConfig mode with <paramref name="namespace"/> as its configured namespace (the cache it keeps warm).</summary>
    public static async Task<DashboardApp> StartAsync(string dll, KubeConfigFile kubeConfig, string @namespace, CancellationToken cancellationToken)
    {
        var port = FreeLoopbackPort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        var process = ChildProcess.Start(
            "dotnet",
            [dll, "--urls", baseAddress.GetLeftPart(UriPartial.Authority), "--contentRoot", Path.GetDirectoryName(dll)!],
            new Dictionary<string, string?>
            {
                ["Kubernetes__Mode"] = "KubeConfig",
                ["Kubernetes__KubeConfigPath"] = kubeConfig.Path,
                ["Kubernetes__Namespaces__0"] = @namespace,
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["Logging__LogLevel__Default"] = "Warning",
            });
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var started = Stopwatch.GetTimestamp();
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (process.HasExited)
                {
                    throw new InvalidOperationException("The dashboard exited before answering /healthz:" + Environment.NewLine + process.RecentOutput);
                }

                if (Stopwatch.GetElapsedTime(started) > StartTimeout)
                {
                    throw new TimeoutException("The dashboard did not answer /healthz in time:" + Environment.NewLine + process.RecentOutput);
                }

                try
                {
                    using var response = await http.GetAsync(new Uri(baseAddress, "healthz"), cancellationToken);
                    if (response.IsSuccessStatusCode)
                    {
                        return new DashboardApp(process, baseAddress);
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            }
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits (bounded) until /readyz answers 200: the configured namespace's cache is synced. False on timeout.</summary>
    public async Task<bool> WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < timeout)
        {
            using var response = await http.GetAsync(new Uri(BaseAddress, "readyz"), cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return true;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }

        return false;
    }

    /// <summary>A port free right now (the app binds it a moment later; a collision would fail the start loudly).</summary>
    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
