using Dashboard.Emulator;
using Dashboard.Kubernetes.Configuration;
using Dashboard.Kubernetes.Diagnostics;
using Dashboard.Kubernetes.Query;
using k8s;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dashboard.Kubernetes.Connection;

/// <summary>
/// The connection for the configured mode. In Emulator mode (and Auto with no cluster) it starts the
/// emulator in-process on a free loopback port the first time a client is needed, and stops it on dispose.
/// </summary>
public sealed class KubernetesConnection : IKubernetesConnection, IAsyncDisposable
{
    private readonly ConnectionModeResolver.Resolution _resolution;
    private readonly KubernetesOptions _options;
    private readonly IOptions<EmulatorSettings> _emulatorSettings;
    private readonly ILogger<KubernetesConnection> _logger;
    private readonly Lock _gate = new();
    private readonly IKubernetes? _client;
    private readonly ConnectionInfo _clusterInfo;
    private Task<(EmulatorHost Host, IKubernetes Client)>? _emulator;
    private int _disposed;

    public KubernetesConnection(
        IOptions<KubernetesOptions> options,
        IOptions<EmulatorSettings> emulatorSettings,
        ILogger<KubernetesConnection> logger,
        ConnectionModeResolver? resolver = null)
    {
        _options = options.Value;
        _emulatorSettings = emulatorSettings;
        _logger = logger;
        resolver ??= ConnectionModeResolver.System;
        _resolution = resolver.Resolve(_options);
        switch (_resolution.Mode)
        {
            case ConnectionMode.InCluster:
            {
                var config = InClusterConfiguration.Build(_options.ServiceAccountPath, resolver.GetEnvironmentVariable);
                _client = KubernetesClientFactory.Create(config);
                _clusterInfo = new ConnectionInfo(ConnectionMode.InCluster, config.Host, null, false);
                break;
            }

            case ConnectionMode.KubeConfig:
            {
                var (config, context) = KubeConfigConfiguration.Build(_resolution.KubeConfigPath!, _options.Context);
                _client = KubernetesClientFactory.Create(config);
                _clusterInfo = new ConnectionInfo(ConnectionMode.KubeConfig, config.Host, context, false);
                break;
            }

            default:
                _clusterInfo = new ConnectionInfo(ConnectionMode.Emulator, "embedded emulator (starting)", null, true);
                break;
        }

        ConnectionLog.Connecting(_logger, _resolution.Mode, _options.Mode, _clusterInfo.Server, _clusterInfo.Context ?? "", _resolution.KubeConfigPath ?? "");
    }

    public bool IsEmulator => _resolution.Mode == ConnectionMode.Emulator;

    /// <summary>The embedded emulator, once started (null otherwise).</summary>
    public EmulatorHost? EmulatorHost => _emulator is { IsCompletedSuccessfully: true } task ? task.Result.Host : null;

    public ConnectionInfo Info => EmulatorHost is { } host
        ? new ConnectionInfo(ConnectionMode.Emulator, host.BaseAddress.ToString().TrimEnd('/'), null, true)
        : _clusterInfo;

    public async ValueTask<IKubernetes> GetClientAsync(CancellationToken cancellationToken)
    {
        if (_client is not null)
        {
            return _client;
        }

        var started = await StartEmulatorAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        return started.Client;
    }

    /// <summary>Starts the embedded emulator (once); a no-op for the other modes.</summary>
    public Task StartAsync() => IsEmulator ? StartEmulatorAsync() : Task.CompletedTask;

    private Task<(EmulatorHost Host, IKubernetes Client)> StartEmulatorAsync()
    {
        lock (_gate)
        {
            // A failed start is retried by the next caller.
            if (_emulator is null || _emulator.IsFaulted || _emulator.IsCanceled)
            {
                _emulator = StartEmulatorCoreAsync();
            }

            return _emulator;
        }
    }

    private async Task<(EmulatorHost Host, IKubernetes Client)> StartEmulatorCoreAsync()
    {
        var options = _emulatorSettings.Value.ToEmulatorOptions(TimeProvider.System);
        var host = await EmulatorHost.StartAsync(options).ConfigureAwait(false);
        ConnectionLog.EmulatorStarted(_logger, host.BaseAddress);
        var config = new KubernetesClientConfiguration
        {
            Host = host.BaseAddress.ToString().TrimEnd('/'),
            AccessToken = options.Token,
        };
        return (host, KubernetesClientFactory.Create(config));
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _client?.Dispose();
        Task<(EmulatorHost Host, IKubernetes Client)>? emulator;
        lock (_gate)
        {
            emulator = _emulator;
        }

        if (emulator is { IsCompletedSuccessfully: true })
        {
            emulator.Result.Client.Dispose();
            await emulator.Result.Host.DisposeAsync().ConfigureAwait(false);
        }
    }
}
