using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Dashboard.Tests.Operations;

/// <summary>
/// The dashboard as its users run it: `dotnet Dashboard.dll` in a child process with its own environment,
/// stdout and stderr captured. It listens on a port the system picks (`--urls http://127.0.0.1:0`, read back from
/// its "Now listening on" line), so no other process can take the port between choosing and binding it.
/// Disposing stops the process this test started (and nothing else).
/// </summary>
public sealed partial class DashboardProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DashboardProcess(Process process)
    {
        _process = process;
    }

    /// <summary>Where the app listens; known once it said so (<see cref="WaitUntilListeningAsync"/>, or any wait for a status).</summary>
    public Uri BaseAddress => _listening.Task.IsCompletedSuccessfully
        ? _listening.Task.Result
        : throw new InvalidOperationException("The dashboard has not said where it listens yet; wait for it first.");

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
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");

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
        var dashboard = new DashboardProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            dashboard.Append(dashboard._stdout, e.Data);
            if (e.Data is { } line && ListeningLine().Match(line) is { Success: true } match)
            {
                dashboard._listening.TrySetResult(new Uri(match.Groups[1].Value + "/"));
            }
        };
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

    /// <summary>Waits for the "Now listening on" line; fails early if the process ends.</summary>
    public async Task<Uri> WaitUntilListeningAsync(TimeSpan timeout)
    {
        var match = await WaitForOutputAsync(ListeningLine(), timeout);
        return new Uri(match.Groups[1].Value + "/");
    }

    /// <summary>Waits for a stdout line matching <paramref name="pattern"/> and returns its match; fails early if the process ends.</summary>
    public async Task<Match> WaitForOutputAsync(Regex pattern, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var match = StandardOutput.Split('\n').Select(line => pattern.Match(line)).FirstOrDefault(m => m.Success);
            if (match is not null)
            {
                return match;
            }

            if (_process.HasExited)
            {
                // Output read after the exit is complete: one last look before giving up.
                await _process.WaitForExitAsync();
                match = StandardOutput.Split('\n').Select(line => pattern.Match(line)).FirstOrDefault(m => m.Success);
                return match ?? throw new InvalidOperationException(
                    $"The dashboard exited with {_process.ExitCode} before writing '{pattern}'.\nstderr:\n{StandardError}\nstdout:\n{StandardOutput}");
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"The dashboard did not write '{pattern}' within {timeout.TotalSeconds:0} s.\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Waits until GET <paramref name="path"/> answers <paramref name="status"/>; fails early if the process ends.</summary>
    public async Task WaitForStatusAsync(HttpClient client, string path, HttpStatusCode status, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        await WaitUntilListeningAsync(timeout);
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

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();

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
