using Dashboard.Emulator;
using Dashboard.Emulator.Auth;
using Dashboard.Tests.Infrastructure;

namespace Dashboard.Tests.Security;

/// <summary>
/// An emulator with a policy (alice: team-a; bob: team-b; carol: team-a and research; group "ml": team-b) and the
/// dashboard in Auth:Mode ProxyHeaders pointed at it, trusting 127.0.0.1 (where the tests' requests come from).
/// </summary>
public sealed class ProxyHeadersFixture : IAsyncLifetime
{
    public const string Policy = """
        {
          "users": { "alice": ["team-a"], "bob": ["team-b"], "carol": ["team-a", "research"] },
          "groups": { "ml": ["team-b"] }
        }
        """;

    private readonly TempFolder _folder = new("security-tests-");
    private string _kubeConfig = "";

    public EmulatorHost Emulator { get; private set; } = null!;

    internal SecurityTestServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Emulator = await EmulatorHost.StartAsync(new EmulatorOptions
        {
            Namespaces = ["team-a", "team-b", "research"],
            Jobs = 12,
            EventsPerSecond = 0,
            IncludeExampleJob = false,
            Policy = AccessPolicy.Parse(Policy),
        });
        _kubeConfig = _folder.WriteKubeConfig(Emulator.BaseAddress);
        Server = CreateServer("127.0.0.1");
    }

    /// <summary>The dashboard against this emulator in ProxyHeaders mode, trusting only <paramref name="trustedProxy"/>.</summary>
    internal SecurityTestServer CreateServer(string trustedProxy) => new(new Dictionary<string, string?>
    {
        ["Kubernetes:Mode"] = "KubeConfig",
        ["Kubernetes:KubeConfigPath"] = _kubeConfig,
        ["Auth:Mode"] = "ProxyHeaders",
        ["Auth:TrustedProxies:0"] = trustedProxy,
    });

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Emulator.DisposeAsync();
        _folder.Dispose();
    }
}
