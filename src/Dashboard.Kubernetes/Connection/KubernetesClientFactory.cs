using k8s;

namespace Dashboard.Kubernetes.Connection;

public static class KubernetesClientFactory
{
    public static IKubernetes Create(KubernetesClientConfiguration config)
    {
        // Plain-http loopback servers (the emulator) speak HTTP/1.1 only.
        if (config.Host is { } host && host.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            config.DisableHttp2 = true;
        }

        // Watches run for minutes; each request gets its own deadline from the sync loop instead.
        config.HttpClientTimeout = Timeout.InfiniteTimeSpan;
        // List pages and watches are read by the sync loop itself (Sync/), not deserialized by the client.
        return new k8s.Kubernetes(config);
    }
}
