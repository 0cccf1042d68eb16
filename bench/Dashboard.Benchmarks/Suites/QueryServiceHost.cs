using Dashboard.Kubernetes;
using Dashboard.Kubernetes.Query;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dashboard.Benchmarks.Suites;

/// <summary>The job query service in this process, wired exactly as the app wires it (AddJobQueries), in KubeConfig mode against the emulator.</summary>
internal sealed class QueryServiceHost : IAsyncDisposable
{
    private readonly IHost _host;

    private QueryServiceHost(IHost host)
    {
        _host = host;
        Jobs = host.Services.GetRequiredService<IJobQueryService>();
    }

    public IJobQueryService Jobs { get; }

    /// <param name="readinessNamespace">
    /// The namespace the service keeps warm for readiness (Kubernetes:Namespaces). Without one it would sync all
    /// namespaces beside the measured one; the benchmark gives it its small warm-up namespace instead.
    /// </param>
    public static async Task<QueryServiceHost> StartAsync(string kubeConfigPath, int pageSize, string readinessNamespace, CancellationToken cancellationToken)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kubernetes:Mode"] = "KubeConfig",
            ["Kubernetes:KubeConfigPath"] = kubeConfigPath,
            ["Kubernetes:Namespaces:0"] = readinessNamespace,
            ["Kubernetes:PageSize"] = pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        builder.Services.AddLogging(logging => logging.AddConsole().SetMinimumLevel(LogLevel.Warning));
        builder.Services.AddJobQueries(builder.Configuration);
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new QueryServiceHost(host);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _host.StopAsync(timeout.Token);
        if (_host is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync();
        }
        else
        {
            _host.Dispose();
        }
    }
}
