using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Dashboard.Benchmarks.Infrastructure;

/// <summary>What a write phase did: each write's resourceVersion and the moment its request was sent.</summary>
internal sealed record WriteLog(IReadOnlyDictionary<long, long> SentAtByResourceVersion, int Failed, TimeSpan Elapsed)
{
    public double AchievedPerSecond => SentAtByResourceVersion.Count / Elapsed.TotalSeconds;
}

/// <summary>
/// Label patches spread round-robin over the namespace's jobs at a fixed rate (each job written at most once every
/// jobs/rate seconds, so no two writes of one job fall in one delivery batch). The label carries the send time.
/// </summary>
internal static class PacedWriter
{
    public const string Label = "bench-written-at";

    public static async Task<WriteLog> RunAsync(EmulatorClient emulator, BenchSettings settings, int jobs, double perSecond, CancellationToken cancellationToken)
    {
        var total = (int)Math.Round(perSecond * settings.WritePhase.TotalSeconds);
        var sentAt = new ConcurrentDictionary<long, long>();
        var failed = 0;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.WritePhase + TimeSpan.FromSeconds(60));
        using var inFlight = new SemaphoreSlim(settings.HttpParallelism * 4);
        var writes = new List<Task>(total);
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds(i / perSecond);
            while (Stopwatch.GetElapsedTime(started) < due)
            {
                // Task.Delay(1) wakes about every millisecond: fine pacing for a few hundred writes per second.
                await Task.Delay(1, deadline.Token);
            }

            await inFlight.WaitAsync(deadline.Token);
            var name = BenchJobs.Name(i % jobs);
            writes.Add(WriteAsync(name));
        }

        await Task.WhenAll(writes);
        return new WriteLog(sentAt, failed, Stopwatch.GetElapsedTime(started));

        async Task WriteAsync(string name)
        {
            try
            {
                var sent = Stopwatch.GetTimestamp();
                var stamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
                var resourceVersion = await emulator.PatchLabelAsync(settings.Namespace, name, Label, stamp, deadline.Token);
                sentAt[resourceVersion] = sent;
            }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException)
            {
                Interlocked.Increment(ref failed);
            }
            finally
            {
                inFlight.Release();
            }
        }
    }
}

/// <summary>Delivery times seen by one subscriber or client: resourceVersion of each upsert and when it arrived.</summary>
internal sealed class DeliveryLog
{
    private readonly List<(long ResourceVersion, long ReceivedAt)> _deliveries = [];
    private readonly Lock _gate = new();

    public void Record(long resourceVersion, long receivedAt)
    {
        lock (_gate)
        {
            _deliveries.Add((resourceVersion, receivedAt));
        }
    }

    public bool HasAll(IReadOnlyDictionary<long, long> writes)
    {
        HashSet<long> seen;
        lock (_gate)
        {
            seen = [.. _deliveries.Select(d => d.ResourceVersion)];
        }

        return writes.Keys.All(seen.Contains);
    }

    /// <summary>Adds each write's latency (ms) to <paramref name="latencies"/>; returns how many writes never arrived.</summary>
    public int Match(IReadOnlyDictionary<long, long> writes, List<double> latencies)
    {
        Dictionary<long, long> firstSeen = [];
        lock (_gate)
        {
            foreach (var (resourceVersion, receivedAt) in _deliveries)
            {
                firstSeen.TryAdd(resourceVersion, receivedAt);
            }
        }

        var lost = 0;
        foreach (var (resourceVersion, sentAt) in writes)
        {
            if (firstSeen.TryGetValue(resourceVersion, out var receivedAt))
            {
                latencies.Add(Statistics.Milliseconds(sentAt, receivedAt));
            }
            else
            {
                lost++;
            }
        }

        return lost;
    }
}
