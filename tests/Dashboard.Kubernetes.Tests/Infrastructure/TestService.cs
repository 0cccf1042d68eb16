using Dashboard.Emulator;
using Dashboard.Kubernetes.Configuration;
using Dashboard.Kubernetes.Connection;
using Dashboard.Kubernetes.Query;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Dashboard.Kubernetes.Tests.Infrastructure;

/// <summary>An emulator on loopback plus a query service pointed at it over real HTTP.</summary>
public sealed class TestService : IAsyncDisposable
{
    private TestService(EmulatorHost emulator, JobQueryService service, EmulatorControl control)
    {
        Emulator = emulator;
        Service = service;
        Control = control;
    }

    public EmulatorHost Emulator { get; }

    public JobQueryService Service { get; }

    public EmulatorControl Control { get; }

    public static EmulatorOptions QuietEmulator(params string[] namespaces) => new()
    {
        Namespaces = namespaces.Length == 0 ? ["team-a"] : namespaces,
        Jobs = 0,
        EventsPerSecond = 0,
        IncludeExampleJob = false,
    };

    public static KubernetesOptions FastOptions(int pageSize = 500) => new()
    {
        PageSize = pageSize,
        InitialBackoff = TimeSpan.FromMilliseconds(20),
        MaxBackoff = TimeSpan.FromMilliseconds(200),
        ErrorRetryInterval = TimeSpan.FromMilliseconds(200),
        StaleAfter = TimeSpan.FromSeconds(30),
        CacheGracePeriod = TimeSpan.FromSeconds(30),
        WatchTimeoutSeconds = 30,
        RequestTimeoutSeconds = 10,
    };

    public static async Task<TestService> StartAsync(EmulatorOptions? emulatorOptions = null, KubernetesOptions? options = null, TimeProvider? time = null, IKubernetesConnection? connection = null)
    {
        var emulator = await EmulatorHost.StartAsync(emulatorOptions ?? QuietEmulator());
        var service = new JobQueryService(
            connection ?? StaticKubernetesConnection.ForServer(emulator.BaseAddress),
            Options.Create(options ?? FastOptions()),
            time ?? TimeProvider.System,
            NullLoggerFactory.Instance);
        return new TestService(emulator, service, new EmulatorControl(emulator.BaseAddress));
    }

    /// <summary>Key → resourceVersion of the emulator's jobs (of one namespace, or all).</summary>
    public IReadOnlyDictionary<string, string> EmulatorState(string? @namespace = null) =>
        Emulator.Store.Snapshot(Dashboard.Emulator.Store.ResourceKind.PyTorchJobs).Items
            .Where(o => @namespace is null || o.Namespace == @namespace)
            .ToDictionary(o => o.Namespace + "/" + o.Name, o => o.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);

    public async ValueTask DisposeAsync()
    {
        await Service.DisposeAsync();
        await Emulator.DisposeAsync();
        Control.Dispose();
    }
}
