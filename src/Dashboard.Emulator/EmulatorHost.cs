using System.Net;
using Dashboard.Emulator.Api;
using Dashboard.Emulator.Control;
using Dashboard.Emulator.Discovery;
using Dashboard.Emulator.Faults;
using Dashboard.Emulator.Hosting;
using Dashboard.Emulator.Scenario;
using Dashboard.Emulator.Store;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Dashboard.Emulator;

/// <summary>The Kubernetes API emulator, served by Kestrel on 127.0.0.1 only. Prints nothing.</summary>
public sealed class EmulatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping;
    private readonly List<Task> _background = [];
    private int _disposed;

    private EmulatorHost(WebApplication app, EmulatorStore store, EmulatorStats stats, FaultInjector faults, ScenarioDriver driver, CancellationTokenSource stopping)
    {
        _app = app;
        Store = store;
        Stats = stats;
        Faults = faults;
        Scenario = driver;
        _stopping = stopping;
    }

    /// <summary>http://127.0.0.1:PORT/</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>In-process access to the store: the same effects as the HTTP API.</summary>
    public EmulatorStore Store { get; }

    public EmulatorStats Stats { get; }

    public FaultInjector Faults { get; }

    public ScenarioDriver Scenario { get; }

    public static Task<EmulatorHost> StartAsync(EmulatorOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);

        // Built on a clean execution context: a host under construction elsewhere in the process (a test's
        // WebApplicationFactory listens for hosts being built) must never mistake this one for its own.
        using (ExecutionContext.SuppressFlow())
        {
            return Task.Run(() => StartCoreAsync(options, cancellationToken), cancellationToken);
        }
    }

    private static async Task<EmulatorHost> StartCoreAsync(EmulatorOptions options, CancellationToken cancellationToken)
    {
        var store = new EmulatorStore(options);
        var stats = new EmulatorStats();
        var faults = new FaultInjector(options.Faults);
        var stopping = new CancellationTokenSource();
        var driver = new ScenarioDriver(store, new ScenarioSettings(options.Namespaces, options.Jobs, options.Seed, options.EventsPerSecond, options.IncludeExampleJob), options.Time);
        store.EnsureNamespace("default");
        foreach (var ns in options.Namespaces)
        {
            store.EnsureNamespace(ns);
        }

        driver.SeedInitialJobs();

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        ListenOptions? listen = null;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, options.Port, l => listen = l));
        var app = builder.Build();
        var host = new EmulatorHost(app, store, stats, faults, driver, stopping);
        var api = new ApiContext(options, store, stats, faults, stopping.Token);
        var scenarioControl = new ScenarioControl(driver);
        var pipeline = new RequestPipeline(api, new DiscoveryDocuments(options.WithoutCrd, "127.0.0.1"), new OpenApiDocuments(options.WithoutCrd), () => scenarioControl);
        app.Run(pipeline.HandleAsync);
        await app.StartAsync(cancellationToken);

        // Kestrel writes the port it bound (for port 0, the one the OS chose) back into the listen options.
        var port = listen?.IPEndPoint?.Port ?? 0;
        if (port == 0)
        {
            await app.DisposeAsync();
            throw new InvalidOperationException("The emulator's server started without binding a loopback port.");
        }

        host.BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        host.StartBackground(options);
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        Store.CloseAllWatches();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        try
        {
            await Task.WhenAll(_background);
        }
        catch (OperationCanceledException)
        {
            // Stopping is how the background loops end.
        }

        _stopping.Dispose();
    }

    private void StartBackground(EmulatorOptions options)
    {
        if (options.EventsPerSecond > 0)
        {
            _background.Add(Task.Run(() => Scenario.RunAsync(_stopping.Token)));
        }

        if (options.CompactEverySeconds is > 0 and var seconds)
        {
            _background.Add(CompactPeriodicallyAsync(TimeSpan.FromSeconds(seconds), options.Time));
        }
    }

    private async Task CompactPeriodicallyAsync(TimeSpan every, TimeProvider time)
    {
        using var timer = new PeriodicTimer(every, time);
        while (await timer.WaitForNextTickAsync(_stopping.Token))
        {
            Store.Compact();
        }
    }

    private sealed class ScenarioControl(ScenarioDriver driver) : IScenarioControl
    {
        public bool IsPaused => driver.IsPaused;

        public void Pause() => driver.Pause();

        public void Resume() => driver.Resume();
    }
}
