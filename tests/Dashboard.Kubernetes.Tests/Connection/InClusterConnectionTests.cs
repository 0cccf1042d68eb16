using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Dashboard.Kubernetes.Configuration;
using Dashboard.Kubernetes.Connection;
using Dashboard.Kubernetes.Query;
using k8s.Authentication;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Dashboard.Kubernetes.Tests.Connection;

/// <summary>
/// InCluster mode from a fake service-account folder and fake KUBERNETES_SERVICE_* variables. In-cluster
/// means https (as KubernetesClient's own InClusterConfig); the emulator speaks plain http, so these tests
/// check the configuration built; the Dashboard tests run the whole app in this mode through a TLS proxy.
/// </summary>
public sealed class InClusterConnectionTests : IDisposable
{
    private readonly TempFolder _account = new();
    private readonly Dictionary<string, string> _environment = new()
    {
        ["KUBERNETES_SERVICE_HOST"] = "127.0.0.1",
        ["KUBERNETES_SERVICE_PORT"] = "6443",
    };

    public void Dispose() => _account.Dispose();

    [Fact]
    public async Task The_mounted_token_ca_and_namespace_make_the_configuration()
    {
        _account.Write("token", "service-account-token\n");
        _account.Write("ca.crt", SelfSignedPem());
        _account.Write("namespace", "dashboards\n");

        var config = InClusterConfiguration.Build(_account.Path, _environment.GetValueOrDefault);

        Assert.Equal("https://127.0.0.1:6443", config.Host);
        Assert.Equal("dashboards", config.Namespace);
        Assert.Single(config.SslCaCerts);
        var token = Assert.IsType<TokenFileAuth>(config.TokenProvider);
        var header = await token.GetAuthenticationHeaderAsync(CancellationToken.None);
        Assert.Equal(("Bearer", "service-account-token"), (header.Scheme, header.Parameter));
    }

    [Fact]
    public async Task The_connection_in_InCluster_mode_reports_the_service_address()
    {
        _account.Write("token", "t");
        var options = new KubernetesOptions { Mode = ConnectionMode.InCluster, ServiceAccountPath = _account.Path };

        await using var connection = new KubernetesConnection(
            Options.Create(options), Options.Create(new EmulatorSettings()), NullLogger<KubernetesConnection>.Instance, Resolver());

        Assert.Equal(new ConnectionInfo(ConnectionMode.InCluster, "https://127.0.0.1:6443", null, false), connection.Info);
    }

    [Fact]
    public void Auto_prefers_the_mounted_service_account_from_its_configured_folder()
    {
        _account.Write("token", "t");

        var resolution = Resolver().Resolve(new KubernetesOptions { ServiceAccountPath = _account.Path, KubeConfigPath = "/also/configured" });

        Assert.Equal(ConnectionMode.InCluster, resolution.Mode);
    }

    [Fact]
    public void Auto_with_a_configured_kubeconfig_that_is_missing_does_not_fall_back_to_demo_data()
    {
        var resolver = new ConnectionModeResolver(_ => null, File.Exists, _account.Path);

        var resolution = resolver.Resolve(new KubernetesOptions { ServiceAccountPath = _account.Path, KubeConfigPath = "/no/such/kubeconfig" });

        Assert.Equal(new ConnectionModeResolver.Resolution(ConnectionMode.KubeConfig, "/no/such/kubeconfig"), resolution);
    }

    [Fact]
    public void Without_the_service_variables_the_message_says_what_is_missing()
    {
        _account.Write("token", "t");

        var error = Assert.Throws<KubernetesConnectionException>(() => InClusterConfiguration.Build(_account.Path, _ => null));

        Assert.StartsWith("InCluster mode needs KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_token_the_message_names_the_file()
    {
        var error = Assert.Throws<KubernetesConnectionException>(() => InClusterConfiguration.Build(_account.Path, _environment.GetValueOrDefault));

        Assert.Contains(Path.Combine(_account.Path, "token"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_port_that_is_not_a_number_is_named()
    {
        _account.Write("token", "t");
        _environment["KUBERNETES_SERVICE_PORT"] = "https";

        var error = Assert.Throws<KubernetesConnectionException>(() => InClusterConfiguration.Build(_account.Path, _environment.GetValueOrDefault));

        Assert.Equal("KUBERNETES_SERVICE_PORT 'https' is not a port number.", error.Message);
    }

    private ConnectionModeResolver Resolver() => new(_environment.GetValueOrDefault, File.Exists, _account.Path);

    private static string SelfSignedPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=test-cluster-ca", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return certificate.ExportCertificatePem();
    }
}
