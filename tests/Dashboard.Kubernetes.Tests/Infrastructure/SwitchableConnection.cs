using Dashboard.Kubernetes.Connection;
using Dashboard.Kubernetes.Query;
using k8s;

namespace Dashboard.Kubernetes.Tests.Infrastructure;

/// <summary>A connection whose server or credentials a test can change, as an operator fixing the fault would.</summary>
public sealed class SwitchableConnection(Uri server, string? token = null) : IKubernetesConnection, IDisposable
{
    private volatile IKubernetes _client = Create(server, token);

    public ConnectionInfo Info => new(ConnectionMode.KubeConfig, _client.BaseUri.ToString(), "test", false);

    public ValueTask<IKubernetes> GetClientAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_client);

    public void SwitchTo(Uri server, string? token = null) => _client = Create(server, token);

    private static IKubernetes Create(Uri server, string? token) =>
        KubernetesClientFactory.Create(new KubernetesClientConfiguration { Host = server.ToString().TrimEnd('/'), AccessToken = token });

    public void Dispose() => _client.Dispose();
}
