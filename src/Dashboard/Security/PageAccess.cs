using System.Security.Claims;
using Dashboard.Kubernetes.Query;
using Microsoft.AspNetCore.Components.Authorization;

namespace Dashboard.Security;

/// <summary>
/// The pages' way to the per-user queries: the circuit's user (from the AuthenticationStateProvider) through the
/// same <see cref="AuthorizedJobQueries"/> the JSON API and the hub use. Without access control registered (e.g.
/// component tests) the queries are used as they are.
/// </summary>
public static class PageAccess
{
    public static async Task<IJobQueryService> ForCurrentUserAsync(IJobQueryService queries, IServiceProvider services)
    {
        if (services.GetService<INamespaceAccess>() is not { } access || access is AllowAllNamespaceAccess)
        {
            return queries;
        }

        var user = services.GetService<AuthenticationStateProvider>() is { } authentication
            ? (await authentication.GetAuthenticationStateAsync()).User
            : new ClaimsPrincipal();
        return AuthorizedJobQueries.For(queries, access, user);
    }
}
