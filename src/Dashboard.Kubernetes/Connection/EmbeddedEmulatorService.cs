using Dashboard.Kubernetes.Diagnostics;
using Dashboard.Kubernetes.Query;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dashboard.Kubernetes.Connection;

/// <summary>
/// The connection's lifetime in the host: starts the in-process emulator with the app when that is the mode;
/// on shutdown stops every cache's watch first and only then the connection (and emulator), so no watch
/// sees its server vanish and logs a failure on the way out.
/// </summary>
public sealed class EmbeddedEmulatorService(KubernetesConnection connection, IJobQueryService queries, ILogger<EmbeddedEmulatorService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => connection.StartAsync().WaitAsync(cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (queries is JobQueryService service)
        {
            ConnectionLog.StoppingCaches(logger, service.Caches.Caches.Count);
            await service.Caches.DisposeAsync().ConfigureAwait(false);
        }

        await connection.DisposeAsync().ConfigureAwait(false);
    }
}
