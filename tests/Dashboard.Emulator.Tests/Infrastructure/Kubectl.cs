using System.Diagnostics;

namespace Dashboard.Emulator.Tests.Infrastructure;

/// <summary>Runs kubectl against an emulator with its own kubeconfig and discovery cache; always ends the process.</summary>
internal sealed class Kubectl : IDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    private readonly string _folder = Directory.CreateTempSubdirectory("kubectl-test-").FullName;

    public Kubectl(EmulatorHost emulator, string? token = null)
    {
        var server = emulator.BaseAddress.GetLeftPart(UriPartial.Authority);
        var user = token is null ? "{}" : $"{{token: {token}}}";
        File.WriteAllText(KubeConfig, $"""
            apiVersion: v1
            kind: Config
            clusters: [{"{"}name: emulator, cluster: {"{"}server: "{server}"{"}"}{"}"}]
            users: [{"{"}name: tester, user: {user}{"}"}]
            contexts: [{"{"}name: emulator, context: {"{"}cluster: emulator, user: tester, namespace: team-a{"}"}{"}"}]
            current-context: emulator
            """);
    }

    private string KubeConfig => Path.Combine(_folder, "kubeconfig");

    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    public async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var process = Start(args);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        finally
        {
            Stop(process);
        }

        return (process.ExitCode, await output, await error);
    }

    /// <summary>Starts kubectl and reads its output until <paramref name="done"/> holds for the text so far; then ends it.</summary>
    public async Task<string> ReadUntilAsync(Func<string, bool> done, Func<Task>? whenStarted, params string[] args)
    {
        using var process = Start(args);
        var text = new System.Text.StringBuilder();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(DefaultTimeout);
        try
        {
            var startedCalled = false;
            while (!done(text.ToString()))
            {
                var line = await process.StandardOutput.ReadLineAsync(cts.Token)
                    ?? throw new InvalidOperationException($"kubectl ended early: {text} {await error}");
                text.AppendLine(line);
                if (!startedCalled && whenStarted is not null)
                {
                    startedCalled = true;
                    await whenStarted();
                }
            }
        }
        finally
        {
            Stop(process);
        }

        return text.ToString();
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private Process Start(string[] args)
    {
        var info = new ProcessStartInfo("kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("--kubeconfig");
        info.ArgumentList.Add(KubeConfig);
        info.ArgumentList.Add("--cache-dir");
        info.ArgumentList.Add(Path.Combine(_folder, "cache"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["HOME"] = _folder;
        return Process.Start(info) ?? throw new InvalidOperationException("kubectl did not start");
    }

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5_000);
        }
    }
}
