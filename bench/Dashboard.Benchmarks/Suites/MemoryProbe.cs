using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Dashboard.Benchmarks.Infrastructure;
using Dashboard.Model.PyTorchJobs;
using k8s;

namespace Dashboard.Benchmarks.Suites;

/// <summary>
/// Managed heap held by the jobs, measured in a child process of its own so nothing left over from other runs
/// (pooled buffers, earlier hosts) moves the baseline. The child first warms the same code path on a small
/// namespace (JIT, serializer metadata, pooled buffers) and keeps that alive, then measures GC.GetTotalMemory(true)
/// before and after holding the benchmark namespace. Pooled buffers (ArrayPool, trimmed by full collections)
/// still move single readings by a few MiB, so the suite reports the median and the range of several probes.
/// </summary>
internal static class MemoryProbe
{
    public const string Command = "memory-probe";
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromMinutes(3);

    public sealed record Result(double HeapBytes, double WorkingSetBytes);

    /// <summary>Runs the probe in a child process: kind is "service" (the query service's cache) or "typed" (a plain typed list).</summary>
    public static async Task<Result> MeasureAsync(string kind, KubeConfigFile kubeConfig, BenchSettings settings, string warmUpNamespace, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            typeof(MemoryProbe).Assembly.Location, Command, kind, kubeConfig.Path, settings.Namespace, warmUpNamespace,
            settings.Jobs.ToString(CultureInfo.InvariantCulture), settings.PageSize.ToString(CultureInfo.InvariantCulture),
        })
        {
            info.ArgumentList.Add(argument);
        }

        // Workstation, non-concurrent GC as in this process; the figures are about the objects, not the GC mode.
        info.Environment["DOTNET_gcServer"] = "0";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("The memory probe did not start.");
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var errors = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"The {kind} memory probe failed ({process.ExitCode}): {await errors}");
            }

            var last = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
            return JsonSerializer.Deserialize<Result>(last) ?? throw new InvalidOperationException("Empty probe result.");
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }

    /// <summary>The child's side: memory-probe KIND KUBECONFIG NAMESPACE WARMUP-NAMESPACE JOBS PAGE-SIZE; prints one JSON line.</summary>
    public static async Task<int> RunChildAsync(string[] args)
    {
        var (kind, kubeConfigPath, @namespace, warmUpNamespace) = (args[1], args[2], args[3], args[4]);
        var jobs = int.Parse(args[5], CultureInfo.InvariantCulture);
        var pageSize = int.Parse(args[6], CultureInfo.InvariantCulture);
        using var timeout = new CancellationTokenSource(ProbeTimeout);
        var result = kind == "service"
            ? await ServiceAsync(kubeConfigPath, @namespace, warmUpNamespace, jobs, pageSize, timeout.Token)
            : await TypedListAsync(kubeConfigPath, @namespace, warmUpNamespace, pageSize, timeout.Token);
        Console.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    }

    private static async Task<Result> ServiceAsync(string kubeConfigPath, string @namespace, string warmUpNamespace, int jobs, int pageSize, CancellationToken cancellationToken)
    {
        await using var host = await QueryServiceHost.StartAsync(kubeConfigPath, pageSize, warmUpNamespace, cancellationToken);
        var warmUp = await ServiceSync.SyncAsync(host.Jobs, warmUpNamespace, null, ProbeTimeout, cancellationToken);
        await using (warmUp.Subscription)
        {
            var before = await SettledHeapAsync(cancellationToken);
            var measured = await ServiceSync.SyncAsync(host.Jobs, @namespace, jobs, ProbeTimeout, cancellationToken);
            await using (measured.Subscription)
            {
                var after = await SettledHeapAsync(cancellationToken);
                return new Result(after - before, WorkingSet());
            }
        }
    }

    private static async Task<Result> TypedListAsync(string kubeConfigPath, string @namespace, string warmUpNamespace, int pageSize, CancellationToken cancellationToken)
    {
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeConfigPath);
        config.DisableHttp2 = true;
        using var client = new k8s.Kubernetes(config);
        var warmUp = await ListAsync(client, warmUpNamespace, pageSize, cancellationToken);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var jobs = await ListAsync(client, @namespace, pageSize, cancellationToken);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(warmUp);
        GC.KeepAlive(jobs);
        return new Result(after - before, WorkingSet());
    }

    /// <summary>The naive cache: every typed page's items kept in one list.</summary>
    private static async Task<List<PyTorchJob>> ListAsync(IKubernetes client, string @namespace, int pageSize, CancellationToken cancellationToken)
    {
        var jobs = new List<PyTorchJob>();
        string? continueToken = null;
        var pages = 0;
        do
        {
            var page = await client.CustomObjects.ListNamespacedCustomObjectAsync<PyTorchJobList>(
                group: PyTorchJob.KubeGroup,
                version: PyTorchJob.KubeVersion,
                namespaceParameter: @namespace,
                plural: PyTorchJob.KubePlural,
                continueParameter: continueToken,
                limit: pageSize,
                cancellationToken: cancellationToken);
            jobs.AddRange(page.Items ?? []);
            continueToken = page.Metadata?.ContinueProperty;
        }
        while (!string.IsNullOrEmpty(continueToken) && ++pages < 100_000);

        return jobs;
    }

    /// <summary>
    /// The heap once the cache has finished its own work after turning Live (swapping snapshots, flushing a batch):
    /// two full-collection readings 250 ms apart within 1% of each other, at most 20 readings.
    /// </summary>
    private static async Task<long> SettledHeapAsync(CancellationToken cancellationToken)
    {
        var previous = GC.GetTotalMemory(forceFullCollection: true);
        for (var reading = 0; reading < 20; reading++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
            var current = GC.GetTotalMemory(forceFullCollection: true);
            if (Math.Abs(current - previous) <= previous / 100)
            {
                return current;
            }

            previous = current;
        }

        return previous;
    }

    private static double WorkingSet()
    {
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }
}
