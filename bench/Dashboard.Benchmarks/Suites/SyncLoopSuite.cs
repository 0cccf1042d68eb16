using System.Diagnostics;
using System.Runtime;
using Dashboard.Benchmarks.Infrastructure;
using Dashboard.Kubernetes.Cache;
using Dashboard.Kubernetes.Sync;
using static Dashboard.Benchmarks.Infrastructure.ResultTable;

namespace Dashboard.Benchmarks.Suites;

/// <summary>
/// The full sync alone, many runs, with what happened in this process during each (JIT, GC), beside its peers
/// (raw HttpClient, curl) and the CPU time of reading the same pages on one thread: for finding where the sync's
/// time goes without the sync suite's memory probes, kubectl and delivery test.
/// </summary>
internal static class SyncLoopSuite
{
    private static readonly TimeSpan SyncTimeout = TimeSpan.FromSeconds(120);

    public static async Task<string> RunAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        await using var environment = await BenchEnvironment.StartAsync(settings, cancellationToken, withWarmUpNamespace: true);
        var curl = Peers.CurlAvailable();
        var pages = await ParseSuite.FetchPagesAsync(environment, settings, cancellationToken);
        var knobs = Environment.GetEnvironmentVariables().Keys.OfType<string>().Where(k => k.StartsWith("DOTNET_", StringComparison.Ordinal) && k != "DOTNET_ROOT" && !k.StartsWith("DOTNET_CLI", StringComparison.Ordinal))
            .Select(k => $"{k}={Environment.GetEnvironmentVariable(k)}");
        Console.Error.WriteLine($"GC: server {GCSettings.IsServerGC}, latency {GCSettings.LatencyMode}; runtime knobs: {string.Join(' ', knobs)}");
        List<double> bare = [], curlTimes = [], sync = [], read = [];
        for (var run = 0; run <= settings.Runs; run++)
        {
            SyncSuite.Settle();
            var transfer = await Peers.BareTransferAsync(environment.Client, settings, cancellationToken);
            var curlTime = curl ? await Peers.CurlPagesAsync(transfer.Pages, cancellationToken) : TimeSpan.Zero;
            var (service, during) = await FullSyncAsync(environment, settings, cancellationToken);
            var readTime = ReadPages(pages);
            Console.Error.WriteLine(FormattableString.Invariant(
                $"run {run}: bare {transfer.Time.TotalMilliseconds:0.0} ms, curl {curlTime.TotalMilliseconds:0.0} ms, read pages (1 thread) {readTime.TotalMilliseconds:0.0} ms, service sync {service.FullSync.TotalMilliseconds:0.0} ms (first page {service.FirstPage.TotalMilliseconds:0.0} ms; during the sync: {during})"));
            if (run == 0)
            {
                continue;
            }

            bare.Add(transfer.Time.TotalMilliseconds);
            curlTimes.Add(curlTime.TotalMilliseconds);
            sync.Add(service.FullSync.TotalMilliseconds);
            read.Add(readTime.TotalMilliseconds);
        }

        var table = new ResultTable($"sync-loop — full sync only, {settings.Jobs:N0} jobs, pages of {settings.PageSize} (medians of {settings.Runs} runs after one warm-up)");
        var syncMedian = Statistics.Median(sync);
        var bareMedian = Statistics.Median(bare);
        table.Add("Full sync vs bare transfer", Ms(syncMedian), $"raw HttpClient: {Ms(bareMedian)}", Number(syncMedian / bareMedian), "≤ 3", syncMedian / bareMedian <= 3);
        if (curl)
        {
            var curlMedian = Statistics.Median(curlTimes);
            table.Add("Full sync vs bare transfer by curl", Ms(syncMedian), $"curl: {Ms(curlMedian)}", Number(syncMedian / curlMedian), "≤ 3", syncMedian / curlMedian <= 3);
        }

        table.Add("Reading the pages' jobs on one thread (ListPage.ReadJobs, CPU only)", Ms(Statistics.Median(read)));
        table.Add("Full sync, every timed run", string.Join(", ", sync.Select(Ms)));
        return table.ToMarkdown();
    }

    private static TimeSpan ReadPages(List<byte[]> pages)
    {
        var pool = new StringPool();
        var jobs = 0;
        var started = Stopwatch.GetTimestamp();
        foreach (var body in pages)
        {
            jobs += ListPage.Read(body, body.Length).ReadJobs(pool).Count;
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        GC.KeepAlive(jobs);
        return elapsed;
    }

    /// <summary>As the sync suite's full sync; the counters cover the measured sync only (not the host's start or warm-up).</summary>
    private static async Task<(ServiceSync.Result Result, Snapshot During)> FullSyncAsync(BenchEnvironment environment, BenchSettings settings, CancellationToken cancellationToken)
    {
        var warmUpNamespace = BenchEnvironment.WarmUpNamespace(settings);
        await using var service = await QueryServiceHost.StartAsync(environment.KubeConfig.Path, settings.PageSize, warmUpNamespace, cancellationToken);
        var warmUp = await ServiceSync.SyncAsync(service.Jobs, warmUpNamespace, null, SyncTimeout, cancellationToken);
        await warmUp.Subscription.DisposeAsync();
        SyncSuite.Settle();
        var before = Snapshot.Take();
        var startedAt = Stopwatch.GetTimestamp();
        var result = await ServiceSync.SyncAsync(service.Jobs, settings.Namespace, settings.Jobs, SyncTimeout, cancellationToken);
        var endedAt = Stopwatch.GetTimestamp();
        var during = Snapshot.Take().Since(before);

        // For matching samples of `perf record -k CLOCK_MONOTONIC` to the syncs (Stopwatch reads that clock on Linux).
        Console.Error.WriteLine(FormattableString.Invariant($"sync window (monotonic s): {startedAt / (double)Stopwatch.Frequency:0.000000} {endedAt / (double)Stopwatch.Frequency:0.000000}"));
        await result.Subscription.DisposeAsync();
        return (result, during);
    }

    /// <summary>Process-wide counters read before and after a sync.</summary>
    private readonly record struct Snapshot(int Gen0, int Gen1, int Gen2, TimeSpan GcPause, long JitMethods, TimeSpan JitTime, TimeSpan Cpu)
    {
        public static Snapshot Take()
        {
            using var process = Process.GetCurrentProcess();
            return new Snapshot(
                GC.CollectionCount(0),
                GC.CollectionCount(1),
                GC.CollectionCount(2),
                GC.GetTotalPauseDuration(),
                System.Runtime.JitInfo.GetCompiledMethodCount(),
                System.Runtime.JitInfo.GetCompilationTime(),
                process.TotalProcessorTime);
        }

        public Snapshot Since(Snapshot before) => new(
            Gen0 - before.Gen0,
            Gen1 - before.Gen1,
            Gen2 - before.Gen2,
            GcPause - before.GcPause,
            JitMethods - before.JitMethods,
            JitTime - before.JitTime,
            Cpu - before.Cpu);

        public override string ToString() => FormattableString.Invariant(
            $"GCs {Gen0}/{Gen1}/{Gen2}, GC pause {GcPause.TotalMilliseconds:0.0} ms, JIT {JitMethods} methods {JitTime.TotalMilliseconds:0.0} ms, process CPU {Cpu.TotalMilliseconds:0} ms");
    }
}
