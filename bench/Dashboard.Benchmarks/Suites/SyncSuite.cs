using System.Diagnostics;
using System.Globalization;
using Dashboard.Benchmarks.Infrastructure;
using Dashboard.Kubernetes.Query;
using static Dashboard.Benchmarks.Infrastructure.ResultTable;

namespace Dashboard.Benchmarks.Suites;

/// <summary>Issue 3: the query service's full sync, first page, memory, and write → subscriber delivery with many subscribers.</summary>
internal static class SyncSuite
{
    private static readonly TimeSpan SyncTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(30);

    public static async Task<string> RunAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        await using var environment = await BenchEnvironment.StartAsync(settings, cancellationToken, withWarmUpNamespace: true);
        var kubectl = Peers.KubectlAvailable();
        var curl = Peers.CurlAvailable();
        List<double> curlTimes = [];
        List<double> bare = [], kubectlTimes = [], sync = [], firstPage = [], heap = [], workingSet = [], typedHeap = [];
        long bytes = 0;

        // Run 0 warms up everything (JIT, connections, kubectl's discovery cache, the probes' first start). The
        // service's per-page and per-sync code reaches the runtime's tier-up thresholds only during the next runs
        // (30 calls at 20 pages a sync, then again once instrumented): running it unoptimized or instrumented, and
        // recompiling it in the background, made the first timed runs the slow ones. So warm-up runs of the sync
        // alone follow, at least WarmUpRuns of them and more while a sync still compiles more than a few methods;
        // they and the cold run are reported apart, not timed.
        var warmUpSyncs = new List<(double Ms, long JitMethods)>();
        for (var run = 0; run <= settings.Runs; run++)
        {
            Settle();
            var transfer = await Peers.BareTransferAsync(environment.Client, settings, cancellationToken);
            var curlTime = curl ? await Peers.CurlPagesAsync(transfer.Pages, cancellationToken) : TimeSpan.Zero;
            var kubectlTime = kubectl ? await Peers.KubectlListAsync(environment.KubeConfig, settings, cancellationToken) : TimeSpan.Zero;
            var service = await FullSyncAsync(environment, settings, cancellationToken);
            var warmUp = BenchEnvironment.WarmUpNamespace(settings);
            var serviceMemory = await MemoryProbe.MeasureAsync("service", environment.KubeConfig, settings, warmUp, cancellationToken);
            var typedMemory = await MemoryProbe.MeasureAsync("typed", environment.KubeConfig, settings, warmUp, cancellationToken);
            Console.Error.WriteLine(FormattableString.Invariant(
                $"run {run}: bare {transfer.Time.TotalMilliseconds:0} ms, curl {curlTime.TotalMilliseconds:0} ms, kubectl {kubectlTime.TotalMilliseconds:0} ms, service sync {service.FullSync.TotalMilliseconds:0} ms (first page {service.FirstPage.TotalMilliseconds:0} ms, {service.JitMethods} methods JIT-compiled during it), cache heap {serviceMemory.HeapBytes / 1048576.0:0.0} MiB, typed list heap {typedMemory.HeapBytes / 1048576.0:0.0} MiB"));
            if (run == 0)
            {
                warmUpSyncs.Add((service.FullSync.TotalMilliseconds, service.JitMethods));
                for (var extra = 1; extra <= MaxWarmUpRuns && (extra <= WarmUpRuns || warmUpSyncs[^1].JitMethods > SettledJitMethods); extra++)
                {
                    var settling = await FullSyncAsync(environment, settings, cancellationToken);
                    warmUpSyncs.Add((settling.FullSync.TotalMilliseconds, settling.JitMethods));
                    Console.Error.WriteLine(FormattableString.Invariant(
                        $"warm-up sync {extra}: {settling.FullSync.TotalMilliseconds:0} ms ({settling.JitMethods} methods JIT-compiled during it)"));
                }

                continue;
            }

            bytes = transfer.Bytes;
            bare.Add(transfer.Time.TotalMilliseconds);
            curlTimes.Add(curlTime.TotalMilliseconds);
            kubectlTimes.Add(kubectlTime.TotalMilliseconds);
            sync.Add(service.FullSync.TotalMilliseconds);
            firstPage.Add(service.FirstPage.TotalMilliseconds);
            heap.Add(serviceMemory.HeapBytes);
            workingSet.Add(serviceMemory.WorkingSetBytes);
            typedHeap.Add(typedMemory.HeapBytes);
        }

        var delivery = await DeliveryAsync(environment, settings, cancellationToken);

        var table = new ResultTable($"sync — query service on {settings.Jobs:N0} jobs of the example's size, pages of {settings.PageSize} (medians of {settings.Runs} runs after warm-up)");
        var syncMedian = Statistics.Median(sync);
        if (kubectl)
        {
            var kubectlMedian = Statistics.Median(kubectlTimes);
            table.Add("Full sync, subscribe → all jobs and Live (fresh service each run)", Ms(syncMedian), $"kubectl get -o json --chunk-size={settings.PageSize}: {Ms(kubectlMedian)}", Number(syncMedian / kubectlMedian), "≤ 0.2", syncMedian / kubectlMedian <= 0.2);
        }

        var bareMedian = Statistics.Median(bare);
        table.Add("Full sync vs bare transfer", Ms(syncMedian), $"raw HttpClient reading the same pages: {Ms(bareMedian)}", Number(syncMedian / bareMedian), "≤ 3", syncMedian / bareMedian <= 3);
        if (curl)
        {
            var curlMedian = Statistics.Median(curlTimes);
            table.Add("Full sync vs bare transfer by curl", Ms(syncMedian), $"one curl process fetching the same pages to /dev/null: {Ms(curlMedian)}", Number(syncMedian / curlMedian), "≤ 3", syncMedian / curlMedian <= 3);
        }
        table.Add(
            "Full sync, every timed run (in order)",
            string.Join(", ", sync.Select(Ms)),
            $"cold run 0, then warm-up syncs: {string.Join(", ", warmUpSyncs.Select(w => FormattableString.Invariant($"{Ms(w.Ms)} ({w.JitMethods} methods JIT-compiled)")))}");
        var firstPageMedian = Statistics.Median(firstPage);
        table.Add("First page at a subscriber, subscribe → first jobs", Ms(firstPageMedian), "", "", "≤ 100 ms", firstPageMedian <= 100);
        var heapMedian = Statistics.Median(heap);
        table.Add("Managed heap held by the cache (GC.GetTotalMemory(true) after − before, own process)", $"{MiB(heapMedian)} (runs: {MiB(heap.Min())} – {MiB(heap.Max())})", $"JSON of the jobs: {MiB(bytes)}", Number(heapMedian / bytes), "≤ 2", heapMedian / bytes <= 2);
        var typedMedian = Statistics.Median(typedHeap);
        table.Add("Managed heap of a plain typed list of the same jobs (same method)", MiB(typedMedian), $"JSON of the jobs: {MiB(bytes)}", Number(typedMedian / bytes));
        table.Add("Working set of that process, cache synced", MiB(Statistics.Median(workingSet)));
        table.Add(
            $"Write → subscriber delivery, {delivery.Subscribers} subscribers, {delivery.Writes.AchievedPerSecond:0} writes/s for {delivery.Writes.Elapsed.TotalSeconds:0} s",
            $"p50 {Ms(delivery.P50)}, p99 {Ms(delivery.P99)}, max {Ms(delivery.Max)}",
            $"raw watch on the emulator: p50 {Ms(delivery.RawP50)}, p99 {Ms(delivery.RawP99)}",
            $"p99 {Number(delivery.P99 / delivery.RawP99)}×",
            "p99 ≤ 150 ms",
            delivery.P99 <= 150);
        table.Add("Events lost (writes × subscribers not delivered)", $"{delivery.Lost} of {delivery.Writes.SentAtByResourceVersion.Count * delivery.Subscribers:N0} ({delivery.Writes.Failed} writes failed)", "", "", "0", delivery.Lost == 0 && delivery.Writes.Failed == 0);
        var onePass = (settings.Jobs + settings.PageSize - 1) / settings.PageSize;
        table.Add(
            $"Emulator requests for the {delivery.Subscribers} subscribers",
            $"{delivery.Stats.ListPages} list pages, {delivery.Stats.WatchesOpened} watch opened, {delivery.Stats.WatchesOpenNow} open at the end",
            $"one list sequence = {onePass} pages",
            "",
            "1 list sequence, 1 watch",
            delivery.Stats.ListPages == onePass && delivery.Stats.WatchesOpened == 1);
        return table.ToMarkdown();
    }

    /// <summary>Extra warm-up syncs after run 0: at least this many ...</summary>
    private const int WarmUpRuns = 2;

    /// <summary>... and more (up to the maximum) while the last one still JIT-compiled more methods than this.</summary>
    private const int SettledJitMethods = 10;

    private const int MaxWarmUpRuns = 6;

    private sealed record SyncRun(TimeSpan FullSync, TimeSpan FirstPage, long JitMethods);

    /// <summary>
    /// A fresh service (cold cache for the namespace, warm JIT) synced by one subscriber once its warm-up namespace
    /// is Live. The garbage of earlier runs (their services' caches) is collected before the clock starts, so no
    /// run pays for another's.
    /// </summary>
    private static async Task<SyncRun> FullSyncAsync(BenchEnvironment environment, BenchSettings settings, CancellationToken cancellationToken)
    {
        var warmUpNamespace = BenchEnvironment.WarmUpNamespace(settings);
        await using var service = await QueryServiceHost.StartAsync(environment.KubeConfig.Path, settings.PageSize, warmUpNamespace, cancellationToken);
        var warmUp = await ServiceSync.SyncAsync(service.Jobs, warmUpNamespace, null, SyncTimeout, cancellationToken);
        await warmUp.Subscription.DisposeAsync();
        Settle();
        var jitBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
        var result = await ServiceSync.SyncAsync(service.Jobs, settings.Namespace, settings.Jobs, SyncTimeout, cancellationToken);
        var jitMethods = System.Runtime.JitInfo.GetCompiledMethodCount() - jitBefore;
        await result.Subscription.DisposeAsync();
        return new SyncRun(result.FullSync, result.FirstPage, jitMethods);
    }

    /// <summary>Collects what earlier work left behind, so the next timed operation starts from the same heap.</summary>
    internal static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private sealed record DeliveryResult(int Subscribers, WriteLog Writes, double P50, double P99, double Max, int Lost, EmulatorStats Stats, double RawP50, double RawP99);

    /// <summary>N subscribers on the namespace of one fresh service, then paced writes; each upsert matched to its write by resourceVersion.</summary>
    private static async Task<DeliveryResult> DeliveryAsync(BenchEnvironment environment, BenchSettings settings, CancellationToken cancellationToken)
    {
        var statsBefore = await environment.Client.GetStatsAsync(settings.Namespace, cancellationToken);
        await using var service = await QueryServiceHost.StartAsync(environment.KubeConfig.Path, settings.PageSize, BenchEnvironment.WarmUpNamespace(settings), cancellationToken);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(SyncTimeout + settings.WritePhase + DrainTimeout + TimeSpan.FromSeconds(60));
        var logs = Enumerable.Range(0, settings.Subscribers).Select(_ => new DeliveryLog()).ToArray();
        var synced = logs.Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var subscribers = Enumerable.Range(0, settings.Subscribers).Select(i => Task.Run(() => SubscribeAsync(i), stop.Token)).ToArray();

        using (var syncWait = CancellationTokenSource.CreateLinkedTokenSource(stop.Token))
        {
            syncWait.CancelAfter(SyncTimeout);
            await Task.WhenAll(synced.Select(s => s.Task)).WaitAsync(syncWait.Token);
        }

        Console.Error.WriteLine($"{settings.Subscribers} subscribers live; writing {settings.SyncEventsPerSecond}/s for {settings.WritePhase.TotalSeconds} s ...");
        await using var raw = await RawWatch.StartAsync(environment.Process.BaseAddress, settings.Namespace, stop.Token);
        var writes = await PacedWriter.RunAsync(environment.Client, settings, settings.Jobs, settings.SyncEventsPerSecond, stop.Token);
        var drained = Stopwatch.GetTimestamp();
        while (!logs.Append(raw.Log).All(log => log.HasAll(writes.SentAtByResourceVersion)) && Stopwatch.GetElapsedTime(drained) < DrainTimeout)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), stop.Token);
        }

        var statsAfter = await environment.Client.GetStatsAsync(settings.Namespace, cancellationToken);
        await stop.CancelAsync();
        await Task.WhenAll(subscribers);

        var latencies = new List<double>(writes.SentAtByResourceVersion.Count * settings.Subscribers);
        var lost = logs.Sum(log => log.Match(writes.SentAtByResourceVersion, latencies));
        var rawLatencies = new List<double>(writes.SentAtByResourceVersion.Count);
        raw.Log.Match(writes.SentAtByResourceVersion, rawLatencies);
        return new DeliveryResult(
            settings.Subscribers,
            writes,
            Statistics.Percentile(latencies, 50),
            Statistics.Percentile(latencies, 99),
            latencies.Count == 0 ? double.NaN : latencies.Max(),
            lost,
            statsAfter.Since(statsBefore).WithoutRawWatch(),
            Statistics.Percentile(rawLatencies, 50),
            Statistics.Percentile(rawLatencies, 99));

        async Task SubscribeAsync(int index)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            var isSynced = false;
            try
            {
                await using var subscription = await service.Jobs.SubscribeAsync(settings.Namespace, null, stop.Token);
                Apply(subscription.Snapshot.Jobs.Select(JobChange.Upsert), subscription.Snapshot.Sync, Stopwatch.GetTimestamp());
                await foreach (var batch in subscription.Changes.WithCancellation(stop.Token))
                {
                    Apply(batch.Changes, batch.Sync, Stopwatch.GetTimestamp());
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // The end of the measurement.
            }
            catch (Exception e)
            {
                synced[index].TrySetException(e);
                throw;
            }

            void Apply(IEnumerable<JobChange> changes, SyncStatus sync, long receivedAt)
            {
                foreach (var change in changes)
                {
                    if (isSynced)
                    {
                        if (change.Kind == JobChangeKind.Upsert && long.TryParse(change.Job!.ResourceVersion, NumberStyles.Integer, CultureInfo.InvariantCulture, out var rv))
                        {
                            logs[index].Record(rv, receivedAt);
                        }
                    }
                    else if (change.Kind == JobChangeKind.Upsert)
                    {
                        names.Add(change.Name);
                    }
                }

                if (!isSynced && sync.Phase == SyncPhase.Live && names.Count == settings.Jobs)
                {
                    isSynced = true;
                    names.Clear();
                    synced[index].TrySetResult();
                }
            }
        }
    }
}
