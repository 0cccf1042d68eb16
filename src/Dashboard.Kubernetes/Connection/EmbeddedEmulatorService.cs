using Microsoft.Extensions.Hosting;

namespace Dashboard.Kubernetes.Connection;

/// <summary>Starts the in-process emulator with the app when the connection is in Emulator mode; stops it with the app.</summary>
public sealed class EmbeddedEmulatorService(KubernetesConnection connection) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => connection.StartAsync().WaitAsync(cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken) => await connection.DisposeAsync().ConfigureAwait(false);
}
