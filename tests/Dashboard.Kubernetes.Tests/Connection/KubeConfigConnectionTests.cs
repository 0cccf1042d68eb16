using Dashboard.Emulator;
using Dashboard.Kubernetes.Configuration;
using Dashboard.Kubernetes.Connection;
using Dashboard.Kubernetes.Query;
using Dashboard.Kubernetes.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Dashboard.Kubernetes.Tests.Connection;

/// <summary>KubeConfig mode against the emulator over real HTTP: the path, the context and the credentials all count.</summary>
public sealed class KubeConfigConnectionTests : IAsyncLifetime
{
    private const string Token = "s3cret-token";
    private readonly TempFolder _folder = new();
    private EmulatorHost _emulator = null!;

    public async Task InitializeAsync() =>
        _emulator = await EmulatorHost.StartAsync(TestService.QuietEmulator("team-a") with { Jobs = 4, Token = Token });

    public async Task DisposeAsync()
    {
        await _emulator.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task A_named_context_that_is_not_current_is_used_with_its_token()
    {
        var path = _folder.Write("config", TempFolder.TwoContextKubeConfig(_emulator.BaseAddress, Token));

        await using var connection = Connect(new KubernetesOptions { Mode = ConnectionMode.KubeConfig, KubeConfigPath = path, Context = "emulator" });

        Assert.Equal(new ConnectionInfo(ConnectionMode.KubeConfig, _emulator.BaseAddress.ToString().TrimEnd('/'), "emulator", false), connection.Info);
        var (sync, jobs) = await SyncAsync(connection);
        Assert.Equal(SyncPhase.Live, sync.Phase);
        Assert.Equal(4, jobs);
    }

    [Fact]
    public async Task Without_a_context_the_current_context_is_used_and_its_wrong_token_is_refused()
    {
        var path = _folder.Write("config", TempFolder.TwoContextKubeConfig(_emulator.BaseAddress, Token));

        await using var connection = Connect(new KubernetesOptions { Mode = ConnectionMode.KubeConfig, KubeConfigPath = path });

        Assert.Equal("stale", connection.Info.Context);
        var (sync, _) = await SyncAsync(connection);
        Assert.Equal(SyncPhase.Error, sync.Phase);
        Assert.Equal(401, sync.Error?.Code);
    }

    [Fact]
    public async Task The_KUBECONFIG_variable_is_honoured_when_no_path_is_configured()
    {
        var path = _folder.Write("from-variable", TempFolder.TwoContextKubeConfig(_emulator.BaseAddress, Token));
        var environment = new Dictionary<string, string> { ["KUBECONFIG"] = Path.Combine(_folder.Path, "missing") + Path.PathSeparator + path };
        var resolver = new ConnectionModeResolver(environment.GetValueOrDefault, File.Exists, _folder.Path);

        await using var connection = Connect(new KubernetesOptions { Mode = ConnectionMode.KubeConfig, Context = "emulator" }, resolver);

        Assert.Equal(SyncPhase.Live, (await SyncAsync(connection)).Sync.Phase);
    }

    [Fact]
    public async Task Several_KUBECONFIG_files_merge_as_for_kubectl_the_first_to_set_a_value_winning()
    {
        // The first file names the current context; the second holds that context's cluster and user. The second
        // file's "stale" context loses to the first's, which points nowhere.
        var first = _folder.Write("first", """
            apiVersion: v1
            kind: Config
            current-context: emulator
            contexts:
            - name: stale
              context: { cluster: nowhere, user: nobody }
            """);
        Directory.CreateDirectory(Path.Combine(_folder.Path, "second"));
        var second = _folder.Write(Path.Combine("second", "config"), TempFolder.TwoContextKubeConfig(_emulator.BaseAddress, Token));
        var environment = new Dictionary<string, string> { ["KUBECONFIG"] = first + Path.PathSeparator + second };
        var resolver = new ConnectionModeResolver(environment.GetValueOrDefault, File.Exists, _folder.Path);

        await using var connection = Connect(new KubernetesOptions { Mode = ConnectionMode.KubeConfig }, resolver);

        Assert.Equal("emulator", connection.Info.Context);
        var (sync, jobs) = await SyncAsync(connection);
        Assert.Equal(SyncPhase.Live, sync.Phase);
        Assert.Equal(4, jobs);
    }

    [Fact]
    public async Task A_user_without_credentials_connects_anonymously_as_kubectl_does()
    {
        await using var open = await EmulatorHost.StartAsync(TestService.QuietEmulator("team-a") with { Jobs = 2 });
        var path = _folder.Write("anonymous", $$"""
            apiVersion: v1
            kind: Config
            current-context: emu
            clusters:
            - name: emu
              cluster: { server: {{open.BaseAddress.ToString().TrimEnd('/')}} }
            contexts:
            - name: emu
              context: { cluster: emu, user: me }
            users:
            - name: me
              user: {}
            """);

        await using var connection = Connect(new KubernetesOptions { Mode = ConnectionMode.KubeConfig, KubeConfigPath = path });

        var (sync, jobs) = await SyncAsync(connection);
        Assert.Equal(SyncPhase.Live, sync.Phase);
        Assert.Equal(2, jobs);
    }

    [Fact]
    public async Task Auto_picks_a_kubeconfig_when_no_service_account_is_mounted()
    {
        var path = _folder.Write("config", TempFolder.TwoContextKubeConfig(_emulator.BaseAddress, Token));
        var resolver = new ConnectionModeResolver(_ => null, File.Exists, _folder.Path);

        await using var connection = Connect(new KubernetesOptions { KubeConfigPath = path, Context = "emulator" }, resolver);

        Assert.Equal(ConnectionMode.KubeConfig, connection.Info.Mode);
        Assert.False(connection.IsEmulator);
    }

    [Fact]
    public async Task An_exec_credential_plugin_supplies_the_token()
    {
        // KubernetesClient runs the plugin; the dashboard only has to not stand in its way.
        var credential = """{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"TOKEN"}}""".Replace("TOKEN", Token, StringComparison.Ordinal);
        var plugin = _folder.Write("credential.json", credential);
        var path = _folder.Write("config", $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: emulator
              cluster:
                server: {_emulator.BaseAddress.ToString().TrimEnd('/')}
            contexts:
            - name: exec
              context:
                cluster: emulator
                user: plugin
            current-context: exec
            users:
            - name: plugin
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1beta1
                  command: cat
                  args: ["{plugin}"]
                  interactiveMode: Never
            """);

        await using var connection = Connect(new KubernetesOptions { Mode = ConnectionMode.KubeConfig, KubeConfigPath = path });

        Assert.Equal(SyncPhase.Live, (await SyncAsync(connection)).Sync.Phase);
    }

    [Fact]
    public void A_missing_file_is_one_clear_message()
    {
        var path = Path.Combine(_folder.Path, "nope", "config");

        var error = Assert.Throws<KubernetesConnectionException>(() => Connect(new KubernetesOptions { Mode = ConnectionMode.KubeConfig, KubeConfigPath = path }));

        Assert.Equal($"kubeconfig '{path}' does not exist (set Kubernetes:KubeConfigPath or KUBECONFIG, or Kubernetes:Mode=Emulator for demo data).", error.Message);
    }

    [Fact]
    public void KubeConfig_mode_with_nothing_found_names_the_file_it_looked_for()
    {
        var resolver = new ConnectionModeResolver(_ => null, File.Exists, _folder.Path);

        var error = Assert.Throws<KubernetesConnectionException>(() => Connect(new KubernetesOptions { Mode = ConnectionMode.KubeConfig }, resolver));

        Assert.Contains(Path.Combine(_folder.Path, ".kube", "config"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_context_names_the_contexts_there_are()
    {
        var path = _folder.Write("config", TempFolder.TwoContextKubeConfig(_emulator.BaseAddress, Token));

        var error = Assert.Throws<KubernetesConnectionException>(() => Connect(new KubernetesOptions { Mode = ConnectionMode.KubeConfig, KubeConfigPath = path, Context = "prod" }));

        Assert.Equal($"Kubernetes:Context 'prod' is not a context in kubeconfig '{path}' (it has: stale, emulator).", error.Message);
    }

    [Theory]
    [InlineData("{{{ not: yaml: [")]
    [InlineData("")]
    [InlineData("apiVersion: v1\nkind: Config\ncontexts: []\n")]
    public void An_unreadable_or_useless_file_is_one_clear_line(string content)
    {
        var path = _folder.Write("config", content);

        var error = Assert.Throws<KubernetesConnectionException>(() => Connect(new KubernetesOptions { Mode = ConnectionMode.KubeConfig, KubeConfigPath = path }));

        Assert.StartsWith($"kubeconfig '{path}' ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_folder_given_as_the_kubeconfig_is_refused()
    {
        var error = Assert.Throws<KubernetesConnectionException>(() => Connect(new KubernetesOptions { Mode = ConnectionMode.KubeConfig, KubeConfigPath = _folder.Path }));

        Assert.Contains("is a folder", error.Message, StringComparison.Ordinal);
    }

    private static KubernetesConnection Connect(KubernetesOptions options, ConnectionModeResolver? resolver = null) =>
        new(Options.Create(options), Options.Create(new EmulatorSettings()), NullLogger<KubernetesConnection>.Instance, resolver);

    /// <summary>Subscribes to team-a through the connection and waits until the first sync settles (Live or Error).</summary>
    internal static async Task<(SyncStatus Sync, int Jobs)> SyncAsync(IKubernetesConnection connection)
    {
        await using var service = new JobQueryService(connection, Options.Create(TestService.FastOptions()), TimeProvider.System, NullLoggerFactory.Instance);
        await using var subscription = await service.SubscribeAsync("team-a", null, CancellationToken.None);
        var cache = service.Caches.Caches["team-a"];
        await Wait.UntilAsync(() => cache.Sync.Phase is SyncPhase.Live or SyncPhase.Error, "the first sync settles");
        return (cache.Sync, cache.Count);
    }
}
