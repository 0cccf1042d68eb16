using Dashboard.Emulator;
using Dashboard.Tests.Infrastructure;

namespace Dashboard.Tests.Hubs;

/// <summary>
/// One emulator (no scenario activity, so every change is the test's) and the dashboard on a loopback port,
/// connected to it through a kubeconfig, with a one-second cache grace period.
/// </summary>
public sealed class EmulatorHubFixture : IAsyncLifetime
{
    // Each test streams its own namespace, so watch counts per namespace belong to one test.
    public static readonly string[] Namespaces = ["hub-a", "hub-b", "hub-c", "hub-d", "hub-e"];

    private readonly TempFolder _folder = new("hub-tests-");

    public EmulatorHost Emulator { get; private set; } = null!;

    internal HubTestServer Server { get; private set; } = null!;

    internal EmulatorClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Emulator = await EmulatorHost.StartAsync(new EmulatorOptions
        {
            Namespaces = Namespaces,
            Jobs = 20,
            EventsPerSecond = 0,
            IncludeExampleJob = false,
        });
        Client = new EmulatorClient(Emulator.BaseAddress);

        var kubeConfig = _folder.WriteKubeConfig(Emulator.BaseAddress);

        Server = new HubTestServer(new Dictionary<string, string?>
        {
            ["Kubernetes:Mode"] = "KubeConfig",
            ["Kubernetes:KubeConfigPath"] = kubeConfig,
            ["Kubernetes:CacheGracePeriod"] = "00:00:01",

            // The app keeps this namespace's cache warm for readiness; no test streams it.
            ["Kubernetes:Namespaces:0"] = "hub-warm",
        });
        _ = Server.BaseAddress; // starts Kestrel
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Client.Dispose();
        await Emulator.DisposeAsync();
        _folder.Dispose();
    }
}
