using System.Text.RegularExpressions;

namespace Dashboard.Benchmarks.Infrastructure;

/// <summary>
/// The emulator as its own process (so its CPU is not the benchmark's): Dashboard.Emulator.dll sits next to this
/// benchmark (a project reference copies it with its runtimeconfig), started empty and without scenario activity.
/// </summary>
internal sealed partial class EmulatorProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly ChildProcess _process;

    private EmulatorProcess(ChildProcess process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    /// <summary>
    /// The emulator runs as it always does, whatever runtime knobs (DOTNET_TieredPGO, DOTNET_GCgen0size ...) this
    /// benchmark process was started with to study the dashboard's code: those are not passed on.
    /// </summary>
    private static Dictionary<string, string?> EmulatorEnvironment()
    {
        var environment = new Dictionary<string, string?> { ["Logging__LogLevel__Default"] = "Warning", ["DOTNET_gcServer"] = "0" };
        foreach (var key in Environment.GetEnvironmentVariables().Keys.OfType<string>())
        {
            if ((key.StartsWith("DOTNET_", StringComparison.OrdinalIgnoreCase) || key.StartsWith("COMPlus_", StringComparison.OrdinalIgnoreCase))
                && !environment.ContainsKey(key)
                && !key.Equals("DOTNET_ROOT", StringComparison.OrdinalIgnoreCase)
                && !key.StartsWith("DOTNET_CLI", StringComparison.OrdinalIgnoreCase))
            {
                environment[key] = null;
            }
        }

        return environment;
    }

    public static async Task<EmulatorProcess> StartAsync(IReadOnlyList<string> namespaces, CancellationToken cancellationToken)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Dashboard.Emulator.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: build the benchmark project (it references src/Dashboard.Emulator).");
        }

        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = ChildProcess.Start(
            "dotnet",
            [dll, "--port", "0", "--namespaces", string.Join(',', namespaces), "--jobs", "0", "--events-per-second", "0"],
            EmulatorEnvironment(),
            line =>
            {
                var match = ListeningLine().Match(line);
                if (!match.Success)
                {
                    return true;
                }

                listening.TrySetResult(new Uri(match.Groups[1].Value.TrimEnd('/') + "/"));
                return false;
            });
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(StartTimeout);
            while (!listening.Task.IsCompleted)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException("The emulator exited before listening:" + Environment.NewLine + process.RecentOutput);
                }

                await Task.WhenAny(listening.Task, Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token));
            }

            return new EmulatorProcess(process, await listening.Task);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    [GeneratedRegex(@"listening on (http://127\.0\.0\.1:\d+/?)", RegexOptions.IgnoreCase)]
    private static partial Regex ListeningLine();
}
