using Dashboard.Kubernetes.Diagnostics;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;

namespace Dashboard.Observability;

public static partial class ObservabilityExtensions
{
    /// <summary>
    /// OpenTelemetry metrics (the dashboard's meters, ASP.NET Core's and the runtime's) for a Prometheus scrape,
    /// the circuit counter, and a shutdown note in the log.
    /// </summary>
    public static IServiceCollection AddDashboardObservability(this IServiceCollection services)
    {
        services.TryAddSingleton<CircuitMetrics>();
        services.TryAddEnumerable(ServiceDescriptor.Scoped<CircuitHandler, CircuitCountingHandler>());
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(KubernetesMetrics.MeterName, CircuitMetrics.MeterName)
            .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Http.Connections", "System.Runtime")
            .AddPrometheusExporter());
        return services;
    }

    /// <summary>GET /metrics in the Prometheus text format; logs what shutdown does to open circuits.</summary>
    public static WebApplication MapDashboardObservability(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        var circuits = app.Services.GetRequiredService<CircuitMetrics>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Dashboard.Shutdown");
        app.Lifetime.ApplicationStopping.Register(() => ShuttingDown(logger, circuits.Open));
        return app;
    }

    [LoggerMessage(2100, LogLevel.Information, "Shutting down: {Circuits} open circuits are disconnected (their browsers show the reconnect dialog); watches stop")]
    private static partial void ShuttingDown(ILogger logger, long circuits);
}
