using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Dashboard.Tests.Operations;

/// <summary>
/// The dashboard as its users run it: `dotnet Dashboard.dll` in a child process with its own environment,
/// stdout and stderr captured. Disposing stops the process this test started (and nothing else).
/// </summary>
public sealed class DashboardProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _gate = new();

    private DashboardProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public string StandardOutput
    {
        get
        {
            lock (_gate)
            {
                return _stdout.ToString();
            }
        }
    }

    public string StandardError
    {
        get
        {
            lock (_gate)
            {
                return _stderr.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The Dashboard.dll built next to this test assembly (the test project references the app).</summary>
    public static string BuiltAssembly => Path.Combine(AppContext.BaseDirectory, "Dashboard.dll");

    public static DashboardProcess Start(string assembly, IReadOnlyDictionary<string, string?> environment, string? workingDirectory = null)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");

        // Nothing from the test host's own setup leaks in: a clean, production-like environment.
        foreach (var name in new[] { "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT", "KUBECONFIG", "KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT" })
        {
            start.Environment.Remove(name);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("Kubernetes__", StringComparison.Ordinal) || k.StartsWith("Emulator__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var dashboard = new DashboardProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => dashboard.Append(dashboard._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => dashboard.Append(dashboard._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return dashboard;
    }

    /// <summary>Waits for the process to end by itself (start-up failures).</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    /// <summary>Waits until GET <paramref name="path"/> answers <paramref name="status"/>; fails early if the process ends.</summary>
    public async Task WaitForStatusAsync(HttpClient client, string path, HttpStatusCode status, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var last = "no answer";
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The dashboard exited with {_process.ExitCode}.\nstderr:\n{StandardError}\nstdout:\n{StandardOutput}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri(BaseAddress, path));
                if (response.StatusCode == status)
                {
                    return;
                }

                last = $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
            }
            catch (HttpRequestException exception)
            {
                last = exception.Message;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"GET {path} did not answer {(int)status} within {timeout.TotalSeconds:0} s; last: {last}\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}");
    }

    /// <summary>Asks the process to stop as the platform does (SIGTERM) and waits for it.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
        }

        return await WaitForExitAsync(timeout);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            target.AppendLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
