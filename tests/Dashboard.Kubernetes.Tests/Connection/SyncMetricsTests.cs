using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Dashboard.Emulator;
using Dashboard.Kubernetes.Connection;
using Dashboard.Kubernetes.Diagnostics;
using Dashboard.Kubernetes.Query;
using Dashboard.Kubernetes.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Dashboard.Kubernetes.Tests.Connection;

/// <summary>The instruments /metrics exports, recorded by a real list/watch against the emulator.</summary>
public sealed class SyncMetricsTests : IDisposable
{
    private readonly KubernetesMetrics _metrics = new();
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, string?> Tags)> _measurements = new();

    public SyncMetricsTests()
    {
        // Only this test's meter: other tests run their own services in parallel.
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, _metrics.Meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    public void Dispose()
    {
        _listener.Dispose();
        _metrics.Dispose();
    }

    [Fact]
    public async Task Lists_pages_events_restarts_and_cache_sizes_are_measured()
    {
        await using var emulator = await EmulatorHost.StartAsync(TestService.QuietEmulator("team-a") with { Jobs = 7 });
        using var control = new EmulatorControl(emulator.BaseAddress);
        await using var service = new JobQueryService(
            StaticKubernetesConnection.ForServer(emulator.BaseAddress), Options.Create(TestService.FastOptions(pageSize: 3)), TimeProvider.System, NullLoggerFactory.Instance, _metrics);
        await using var subscription = await service.SubscribeAsync("team-a", null, CancellationToken.None);
        var cache = service.Caches.Caches["team-a"];
        await Wait.UntilAsync(() => cache.Sync.Phase == SyncPhase.Live, "the cache is live");

        Assert.Equal(3, Sum("dashboard.kubernetes.list.pages", "namespace", "team-a"));
        Assert.Single(_measurements, m => m.Instrument == "dashboard.kubernetes.list.duration" && m.Tags["namespace"] == "team-a");

        await Wait.UntilAsync(async () => EmulatorControl.Count(await control.StatsAsync(), "watchesOpenNow", "team-a") == 1, "the watch is open");
        await control.SetFaultsAsync(new FaultSettings(CutWatchAfter: 1));
        emulator.Store.Create(Jobs.Create("team-a", "one-more"));

        await Wait.UntilAsync(() => Sum("dashboard.kubernetes.events.applied", "type", "added") == 1, "the added event is counted");
        await Wait.UntilAsync(() => Sum("dashboard.kubernetes.watch.restarts", "reason", "closed") >= 1, "the cut watch is counted as a restart");

        _listener.RecordObservableInstruments();
        Assert.Equal(8, Last("dashboard.kubernetes.cache.jobs", "team-a"));
        Assert.Equal(1, Last("dashboard.kubernetes.subscribers", "team-a"));
        Assert.Equal(1, Last("dashboard.kubernetes.cache.live", "team-a"));
    }

    [Fact]
    public async Task A_refusal_is_a_restart_with_its_reason_and_the_all_namespaces_cache_is_tagged_with_a_star()
    {
        await using var forbidden = await ForbiddenServer.StartAsync();
        await using var service = new JobQueryService(
            StaticKubernetesConnection.ForServer(forbidden.BaseAddress), Options.Create(TestService.FastOptions()), TimeProvider.System, NullLoggerFactory.Instance, _metrics);
        await using var subscription = await service.SubscribeAsync(null, null, CancellationToken.None);

        await Wait.UntilAsync(() => Sum("dashboard.kubernetes.watch.restarts", "reason", "forbidden") >= 1, "the 403 is counted");

        Assert.Contains(_measurements, m => m.Instrument == "dashboard.kubernetes.watch.restarts" && m.Tags["namespace"] == KubernetesMetrics.AllNamespaces);
        _listener.RecordObservableInstruments();
        Assert.Equal(0, Last("dashboard.kubernetes.cache.live", KubernetesMetrics.AllNamespaces));
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var map = new Dictionary<string, string?>();
        foreach (var tag in tags)
        {
            map[tag.Key] = tag.Value?.ToString();
        }

        _measurements.Enqueue((instrument.Name, value, map));
    }

    private double Sum(string instrument, string tag, string value) =>
        _measurements.Where(m => m.Instrument == instrument && m.Tags.GetValueOrDefault(tag) == value).Sum(m => m.Value);

    private double Last(string instrument, string @namespace) =>
        _measurements.Last(m => m.Instrument == instrument && m.Tags.GetValueOrDefault("namespace") == @namespace).Value;
}
