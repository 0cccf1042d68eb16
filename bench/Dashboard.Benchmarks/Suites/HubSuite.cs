using System.Diagnostics;
using System.Globalization;
using Dashboard.Benchmarks.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using static Dashboard.Benchmarks.Infrastructure.ResultTable;

namespace Dashboard.Benchmarks.Suites;

/// <summary>Issue 5: many SignalR clients on one namespace of the dashboard running as its own process.</summary>
internal static class HubSuite
{
    private static readonly TimeSpan SyncTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(30);

    public static async Task<string> RunAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        Console.Error.WriteLine($"building src/Dashboard (Release) into {settings.AppBuildDirectory} ...");
        var dll = await DashboardApp.BuildAsync(settings.AppBuildDirectory, cancellationToken);
        await using var environment = await BenchEnvironment.StartAsync(settings, cancellationToken);
        var statsBefore = await environment.Client.GetStatsAsync(settings.Namespace, cancellationToken);
        await using var app = await DashboardApp.StartAsync(dll, environment.KubeConfig, settings.Namespace, cancellationToken);
        var ready = await app.WaitUntilReadyAsync(SyncTimeout, cancellationToken);
        var (rssReady, _) = ProcessStats.Memory(app.ProcessId);
        Console.Error.WriteLine($"dashboard at {app.BaseAddress} (pid {app.ProcessId}, ready: {ready}); connecting {settings.Clients} clients ...");

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(SyncTimeout + settings.WritePhase + DrainTimeout + TimeSpan.FromSeconds(60));
        var clients = Enumerable.Range(0, settings.Clients).Select(_ => new HubClient(settings)).ToArray();
        var connectStarted = Stopwatch.GetTimestamp();
        try
        {
            using (var syncWait = CancellationTokenSource.CreateLinkedTokenSource(stop.Token))
            {
                syncWait.CancelAfter(SyncTimeout);
                await Parallel.ForEachAsync(
                    clients,
                    new ParallelOptions { MaxDegreeOfParallelism = settings.HttpParallelism, CancellationToken = syncWait.Token },
                    async (client, token) => await client.ConnectAsync(new Uri(app.BaseAddress, "hubs/jobs"), stop.Token, token));
                await Task.WhenAll(clients.Select(c => c.Synced)).WaitAsync(syncWait.Token);
            }

            var connectTime = Stopwatch.GetElapsedTime(connectStarted);
            var (rssBefore, _) = ProcessStats.Memory(app.ProcessId);
            Console.Error.WriteLine($"{settings.Clients} clients have the snapshot after {connectTime.TotalSeconds:0.0} s; writing {settings.HubEventsPerSecond}/s for {settings.WritePhase.TotalSeconds} s ...");

            await using var raw = await RawWatch.StartAsync(environment.Process.BaseAddress, settings.Namespace, stop.Token);
            var cpuBefore = ProcessStats.CpuTime(app.ProcessId);
            var windowStarted = Stopwatch.GetTimestamp();
            var writes = await PacedWriter.RunAsync(environment.Client, settings, settings.Jobs, settings.HubEventsPerSecond, stop.Token);
            var drained = Stopwatch.GetTimestamp();
            while (!clients.Select(c => c.Log).Append(raw.Log).All(log => log.HasAll(writes.SentAtByResourceVersion)) && Stopwatch.GetElapsedTime(drained) < DrainTimeout)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), stop.Token);
            }

            var cpu = ProcessStats.CpuTime(app.ProcessId) - cpuBefore;
            var window = Stopwatch.GetElapsedTime(windowStarted);
            var (rss, peak) = ProcessStats.Memory(app.ProcessId);
            var stats = (await environment.Client.GetStatsAsync(settings.Namespace, cancellationToken)).Since(statsBefore).WithoutRawWatch();

            var latencies = new List<double>(writes.SentAtByResourceVersion.Count * settings.Clients);
            var lost = clients.Sum(c => c.Log.Match(writes.SentAtByResourceVersion, latencies));
            var p99 = Statistics.Percentile(latencies, 99);
            var rawLatencies = new List<double>(writes.SentAtByResourceVersion.Count);
            raw.Log.Match(writes.SentAtByResourceVersion, rawLatencies);
            var rawP99 = Statistics.Percentile(rawLatencies, 99);

            var table = new ResultTable($"hub — {settings.Clients} SignalR clients (JSON over WebSockets) on one namespace of {settings.Jobs:N0} jobs, dashboard in its own process");
            table.Add(
                $"Write → client delivery, {writes.AchievedPerSecond:0} writes/s for {writes.Elapsed.TotalSeconds:0} s",
                $"p50 {Ms(Statistics.Percentile(latencies, 50))}, p99 {Ms(p99)}, max {Ms(latencies.Count == 0 ? double.NaN : latencies.Max())}",
                $"raw watch on the emulator: p50 {Ms(Statistics.Percentile(rawLatencies, 50))}, p99 {Ms(rawP99)}",
                $"p99 {Number(p99 / rawP99)}×",
                "p99 ≤ 200 ms",
                p99 <= 200);
            table.Add("Messages lost (writes × clients not delivered)", $"{lost} of {writes.SentAtByResourceVersion.Count * settings.Clients:N0} ({writes.Failed} writes failed)", "", "", "0", lost == 0 && writes.Failed == 0);
            table.Add("Dashboard CPU during the write phase (/proc/PID/stat)", $"{cpu.TotalSeconds / window.TotalSeconds * 100:0}% of one core ({cpu.TotalSeconds:0.0} s CPU in {window.TotalSeconds:0.0} s)");
            table.Add("Dashboard memory (RSS)", $"{(ready ? MiB(rssReady) : "n/a")} ready before any client, {MiB(rssBefore)} with all clients synced, {MiB(rss)} after the writes, peak {MiB(peak)}");
            table.Add("All clients connected and holding the snapshot", Ms(connectTime.TotalMilliseconds));
            table.Add(
                "Emulator watches for the namespace",
                $"{stats.WatchesOpened} opened, {stats.WatchesOpenNow} open at the end ({stats.ListPages} list pages)",
                "",
                "",
                "1",
                stats.WatchesOpened == 1 && stats.WatchesOpenNow == 1);
            return table.ToMarkdown();
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
        }
    }

    /// <summary>One SignalR client streaming the namespace; after its snapshot (and Live) it records each upsert's arrival.</summary>
    private sealed class HubClient(BenchSettings settings) : IAsyncDisposable
    {
        private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private HubConnection? _connection;
        private Task? _reading;

        public DeliveryLog Log { get; } = new();

        public Task Synced => _synced.Task;

        public async Task ConnectAsync(Uri hub, CancellationToken stop, CancellationToken connectToken)
        {
            _connection = new HubConnectionBuilder()
                .WithUrl(hub, HttpTransportType.WebSockets, options => options.SkipNegotiation = true)
                .Build();

            // The server is busy serializing snapshots while clients connect: allow slow handshakes and pings.
            _connection.HandshakeTimeout = TimeSpan.FromSeconds(60);
            _connection.ServerTimeout = TimeSpan.FromMinutes(2);
            await _connection.StartAsync(connectToken);
            _reading = ReadAsync(_connection, stop);
            await _synced.Task.WaitAsync(connectToken);
        }

        private async Task ReadAsync(HubConnection connection, CancellationToken stop)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            var isSynced = false;
            try
            {
                await foreach (var message in connection.StreamAsync<HubMessage>("StreamJobs", settings.Namespace, null, stop))
                {
                    var receivedAt = Stopwatch.GetTimestamp();
                    foreach (var job in message.Jobs)
                    {
                        if (!isSynced)
                        {
                            names.Add(job.Name);
                        }
                        else if (long.TryParse(job.ResourceVersion, NumberStyles.Integer, CultureInfo.InvariantCulture, out var rv))
                        {
                            Log.Record(rv, receivedAt);
                        }
                    }

                    if (!isSynced && message.Sync.Phase == "Live" && names.Count == settings.Jobs)
                    {
                        isSynced = true;
                        names.Clear();
                        _synced.TrySetResult();
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // The end of the measurement.
            }
            catch (Exception e)
            {
                _synced.TrySetException(e);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_connection is not null)
            {
                await _connection.DisposeAsync();
            }

            if (_reading is not null)
            {
                await _reading;
            }
        }
    }

    // The slice of the hub's wire messages (src/Dashboard/Hubs/JobStreamMessage.cs) the benchmark reads; the rest is skipped.
    private sealed record HubMessage(string Kind, string ResourceVersion, HubSync Sync, IReadOnlyList<HubJob> Jobs);

    private sealed record HubSync(string Phase);

    private sealed record HubJob(string Name, string ResourceVersion);
}
