using Dashboard.Kubernetes.Configuration;
using Dashboard.Kubernetes.Connection;
using Dashboard.Kubernetes.Diagnostics;
using Dashboard.Kubernetes.Query;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Dashboard.Kubernetes;

public static class JobQueryServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates the "Kubernetes" and "Emulator" sections, and registers the connection for the
    /// configured mode (starting the in-process emulator when that is the mode), the query service and the
    /// readiness tracker that keeps the default caches warm.
    /// </summary>
    public static IServiceCollection AddJobQueries(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);

        services.AddOptions<KubernetesOptions>().Bind(configuration.GetSection(KubernetesOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KubernetesOptions>, ValidateKubernetesOptions>());
        services.AddOptions<EmulatorSettings>().Bind(configuration.GetSection(EmulatorSettings.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EmulatorSettings>, ValidateEmulatorSettings>());

        services.TryAddSingleton<KubernetesConnection>();
        services.TryAddSingleton<IKubernetesConnection>(sp => sp.GetRequiredService<KubernetesConnection>());
        services.AddHostedService<EmbeddedEmulatorService>();

        services.TryAddSingleton<KubernetesMetrics>();
        services.TryAddSingleton<JobQueryService>();
        services.TryAddSingleton<IJobQueryService>(sp => sp.GetRequiredService<JobQueryService>());

        services.TryAddSingleton<JobQueryReadiness>();
        services.AddHostedService(sp => sp.GetRequiredService<JobQueryReadiness>());
        return services;
    }
}
