using Dashboard.Kubernetes.Configuration;
using Dashboard.Kubernetes.Connection;
using Dashboard.Kubernetes.Query;

namespace Dashboard.Kubernetes.Tests.Connection;

public sealed class ConnectionModeResolverTests
{
    private static ConnectionModeResolver Resolver(Dictionary<string, string> environment, params string[] files) =>
        new(name => environment.GetValueOrDefault(name), files.Contains, "/home/me");

    [Fact]
    public void Auto_prefers_the_cluster_when_a_service_account_is_mounted()
    {
        var resolver = Resolver(new() { ["KUBERNETES_SERVICE_HOST"] = "10.0.0.1" }, ConnectionModeResolver.ServiceAccountTokenPath, "/home/me/.kube/config");
        Assert.Equal(ConnectionMode.InCluster, resolver.Resolve(new KubernetesOptions()).Mode);
    }

    [Fact]
    public void Auto_without_the_token_file_is_not_in_cluster()
    {
        var resolver = Resolver(new() { ["KUBERNETES_SERVICE_HOST"] = "10.0.0.1" }, "/home/me/.kube/config");
        Assert.Equal(new ConnectionModeResolver.Resolution(ConnectionMode.KubeConfig, "/home/me/.kube/config"), resolver.Resolve(new KubernetesOptions()));
    }

    [Fact]
    public void Auto_takes_every_existing_kubeconfig_of_the_variable_in_order()
    {
        var resolver = Resolver(new() { ["KUBECONFIG"] = "/missing:/etc/kc:/etc/kc2" }, "/etc/kc", "/etc/kc2");
        Assert.Equal(new ConnectionModeResolver.Resolution(ConnectionMode.KubeConfig, "/etc/kc:/etc/kc2"), resolver.Resolve(new KubernetesOptions()));
    }

    [Fact]
    public void Auto_takes_the_configured_path_first()
    {
        var resolver = Resolver(new() { ["KUBECONFIG"] = "/etc/kc" }, "/etc/kc", "/opt/kc");
        Assert.Equal("/opt/kc", resolver.Resolve(new KubernetesOptions { KubeConfigPath = "/opt/kc" }).KubeConfigPath);
    }

    [Fact]
    public void Auto_with_no_cluster_runs_the_embedded_emulator()
    {
        Assert.Equal(ConnectionMode.Emulator, Resolver([]).Resolve(new KubernetesOptions()).Mode);
    }

    [Fact]
    public void An_explicit_mode_is_kept()
    {
        var resolver = Resolver(new() { ["KUBERNETES_SERVICE_HOST"] = "10.0.0.1" }, ConnectionModeResolver.ServiceAccountTokenPath);
        Assert.Equal(ConnectionMode.Emulator, resolver.Resolve(new KubernetesOptions { Mode = ConnectionMode.Emulator }).Mode);
    }
}
