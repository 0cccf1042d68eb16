using Dashboard.Kubernetes.Query;
using k8s;

namespace Dashboard.Kubernetes.Connection;

/// <summary>The Kubernetes API the caches talk to (a cluster, or the embedded emulator once it runs).</summary>
public interface IKubernetesConnection
{
    ConnectionInfo Info { get; }

    /// <summary>The client; in Emulator mode this waits for the in-process emulator to listen.</summary>
    ValueTask<IKubernetes> GetClientAsync(CancellationToken cancellationToken);
}

/// <summary>A connection to a client that already exists (tests, tools).</summary>
public sealed class StaticKubernetesConnection(IKubernetes client, ConnectionInfo info) : IKubernetesConnection
{
    public ConnectionInfo Info { get; } = info;

    public ValueTask<IKubernetes> GetClientAsync(CancellationToken cancellationToken) => ValueTask.FromResult(client);

    /// <summary>A client for a plain-http loopback server such as the emulator.</summary>
    public static StaticKubernetesConnection ForServer(Uri server, string? token = null, bool isEmulator = true)
    {
        var config = new KubernetesClientConfiguration { Host = server.ToString().TrimEnd('/'), AccessToken = token };
        return new StaticKubernetesConnection(KubernetesClientFactory.Create(config), new ConnectionInfo(ConnectionMode.Emulator, config.Host, null, isEmulator));
    }
}
