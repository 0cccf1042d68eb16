using Dashboard.Kubernetes.Query;
using Microsoft.Extensions.Logging;

namespace Dashboard.Kubernetes.Diagnostics;

/// <summary>Connection log messages (event ids 1000–1099).</summary>
internal static partial class ConnectionLog
{
    [LoggerMessage(1000, LogLevel.Information, "Kubernetes connection: mode {Mode} (configured {ConfiguredMode}), server {Server}, context '{Context}', kubeconfig '{KubeConfigPath}'")]
    public static partial void Connecting(ILogger logger, ConnectionMode mode, ConnectionMode configuredMode, string server, string context, string kubeConfigPath);

    [LoggerMessage(1001, LogLevel.Information, "Embedded Kubernetes API emulator listening on {Address} (demo data)")]
    public static partial void EmulatorStarted(ILogger logger, Uri address);

    [LoggerMessage(1002, LogLevel.Information, "Stopping {Count} namespace caches and their watches")]
    public static partial void StoppingCaches(ILogger logger, int count);
}
