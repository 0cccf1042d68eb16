using System.Diagnostics;
using Dashboard.Model.PyTorchJobs;
using k8s;

namespace Dashboard.Benchmarks.Infrastructure;

/// <summary>The reference points measured beside the dashboard's own code: bare HTTP pages, a plain typed KubernetesClient list, kubectl.</summary>
internal static class Peers
{
    private static readonly TimeSpan KubectlTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Time of one bare paged transfer (HttpClient reading each page fully) and its bytes.</summary>
    public static async Task<(TimeSpan Time, long Bytes, IReadOnlyList<Uri> Pages)> BareTransferAsync(EmulatorClient emulator, BenchSettings settings, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var (bytes, pages) = await emulator.FetchAllPagesAsync(settings.Namespace, settings.PageSize, cancellationToken);
        return (Stopwatch.GetElapsedTime(started), bytes, pages);
    }

    public static bool CurlAvailable() => OnPath("curl");

    /// <summary>
    /// Wall time of one curl process fetching the given pages (URLs with their continue tokens, taken from a
    /// raw pass just before) over one keep-alive connection, each to /dev/null.
    /// </summary>
    public static async Task<TimeSpan> CurlPagesAsync(IReadOnlyList<Uri> pages, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("--silent");
        info.ArgumentList.Add("--fail");
        foreach (var page in pages)
        {
            info.ArgumentList.Add("--output");
            info.ArgumentList.Add("/dev/null");
            info.ArgumentList.Add(page.AbsoluteUri);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(KubectlTimeout);
        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("curl did not start.");
        try
        {
            var errors = process.StandardError.ReadToEndAsync(timeout.Token);
            await Task.WhenAll(process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, timeout.Token), errors, process.WaitForExitAsync(timeout.Token));
            var elapsed = Stopwatch.GetElapsedTime(started);
            return process.ExitCode == 0 ? elapsed : throw new InvalidOperationException($"curl exited {process.ExitCode}: {await errors}");
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }

    public static IKubernetes TypedClient(KubeConfigFile kubeConfig)
    {
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeConfig.Path);
        config.DisableHttp2 = true;
        return new k8s.Kubernetes(config);
    }

    /// <summary>Time of a full paged list as typed <see cref="PyTorchJobList"/> pages through KubernetesClient; returns the items seen.</summary>
    public static async Task<(TimeSpan Time, int Items)> TypedListAsync(IKubernetes client, BenchSettings settings, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var items = 0;
        string? continueToken = null;
        var pages = 0;
        do
        {
            var page = await client.CustomObjects.ListNamespacedCustomObjectAsync<PyTorchJobList>(
                group: PyTorchJob.KubeGroup,
                version: PyTorchJob.KubeVersion,
                namespaceParameter: settings.Namespace,
                plural: PyTorchJob.KubePlural,
                continueParameter: continueToken,
                limit: settings.PageSize,
                cancellationToken: cancellationToken);
            items += page.Items?.Count ?? 0;
            continueToken = page.Metadata?.ContinueProperty;
        }
        while (!string.IsNullOrEmpty(continueToken) && ++pages < 100_000);

        return (Stopwatch.GetElapsedTime(started), items);
    }

    public static bool KubectlAvailable() => OnPath("kubectl");

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, tool)));

    /// <summary>Wall time of `kubectl get pytorchjobs -o json --chunk-size=N`, its output read and discarded.</summary>
    public static async Task<TimeSpan> KubectlListAsync(KubeConfigFile kubeConfig, BenchSettings settings, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--kubeconfig", kubeConfig.Path, "--cache-dir", kubeConfig.CacheDirectory,
            "get", "pytorchjobs", "-n", settings.Namespace, "-o", "json", $"--chunk-size={settings.PageSize}",
        })
        {
            info.ArgumentList.Add(argument);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(KubectlTimeout);
        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("kubectl did not start.");
        try
        {
            var output = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, timeout.Token);
            var errors = process.StandardError.ReadToEndAsync(timeout.Token);
            await Task.WhenAll(output, errors, process.WaitForExitAsync(timeout.Token));
            var elapsed = Stopwatch.GetElapsedTime(started);
            return process.ExitCode == 0 ? elapsed : throw new InvalidOperationException($"kubectl exited {process.ExitCode}: {await errors}");
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }
}
