using Dashboard.Benchmarks.Infrastructure;

namespace Dashboard.Benchmarks.Suites;

/// <summary>An emulator process loaded with the benchmark's jobs, a client for it and a kubeconfig pointing at it.</summary>
internal sealed class BenchEnvironment : IAsyncDisposable
{
    private BenchEnvironment(EmulatorProcess process, EmulatorClient client, KubeConfigFile kubeConfig, TimeSpan loadTime)
    {
        Process = process;
        Client = client;
        KubeConfig = kubeConfig;
        LoadTime = loadTime;
    }

    public EmulatorProcess Process { get; }

    public EmulatorClient Client { get; }

    public KubeConfigFile KubeConfig { get; }

    public TimeSpan LoadTime { get; }

    /// <summary>A small namespace for warming up a code path before measuring (a full page plus one: two pages).</summary>
    public static string WarmUpNamespace(BenchSettings settings) => settings.Namespace + "-warmup";

    public static async Task<BenchEnvironment> StartAsync(BenchSettings settings, CancellationToken cancellationToken, bool withWarmUpNamespace = false)
    {
        var process = await EmulatorProcess.StartAsync([settings.Namespace, WarmUpNamespace(settings)], cancellationToken);
        var client = new EmulatorClient(process.BaseAddress);
        try
        {
            Console.Error.WriteLine($"emulator at {process.BaseAddress} (pid {process.ProcessId}); loading {settings.Jobs} jobs ...");
            var loadTime = await client.LoadJobsAsync(settings.Namespace, settings.Jobs, settings.HttpParallelism, cancellationToken);
            var stats = await client.GetStatsAsync(settings.Namespace, cancellationToken);
            if (stats.Objects != settings.Jobs)
            {
                throw new InvalidOperationException($"The emulator holds {stats.Objects} jobs in {settings.Namespace}, expected {settings.Jobs}.");
            }

            Console.Error.WriteLine($"loaded {settings.Jobs} jobs in {loadTime.TotalSeconds:0.0} s");
            if (withWarmUpNamespace)
            {
                await client.LoadJobsAsync(WarmUpNamespace(settings), settings.PageSize + 1, settings.HttpParallelism, cancellationToken);
            }

            return new BenchEnvironment(process, client, new KubeConfigFile(process.BaseAddress, settings.Namespace), loadTime);
        }
        catch
        {
            client.Dispose();
            await process.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        KubeConfig.Dispose();
        Client.Dispose();
        await Process.DisposeAsync();
    }
}
