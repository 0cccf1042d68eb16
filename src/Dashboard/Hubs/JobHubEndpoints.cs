using Dashboard.Security;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dashboard.Hubs;

/// <summary>Registers and maps <see cref="JobsHub"/> at <see cref="Path"/>.</summary>
public static class JobHubEndpoints
{
    public const string Path = "/hubs/jobs";

    /// <summary>Clients only send small invocations (a namespace and a selector): anything bigger is refused.</summary>
    public const long MaximumReceiveMessageSize = 32 * 1024;

    /// <summary>SignalR with the JSON and MessagePack protocols, and the namespace access check (replaceable: TryAdd).</summary>
    public static IServiceCollection AddJobHub(this IServiceCollection services)
    {
        services.TryAddSingleton<INamespaceAccess, AllowAllNamespaceAccess>();
        services.AddSignalR()
            .AddJsonProtocol()
            .AddMessagePackProtocol()
            .AddHubOptions<JobsHub>(options => options.MaximumReceiveMessageSize = MaximumReceiveMessageSize);
        return services;
    }

    public static IEndpointRouteBuilder MapJobHub(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHub<JobsHub>(Path);
        return endpoints;
    }
}
