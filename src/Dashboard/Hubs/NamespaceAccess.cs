using System.Security.Claims;

namespace Dashboard.Hubs;

/// <summary>
/// The single check of who may read which namespace. The hub asks it before every subscription; once access
/// control exists, its implementation is the one place that decides (for the pages and the JSON API too).
/// </summary>
public interface INamespaceAccess
{
    /// <summary>Whether <paramref name="user"/> may read the jobs of <paramref name="namespace"/> (null: all namespaces).</summary>
    ValueTask<bool> CanReadAsync(ClaimsPrincipal user, string? @namespace, CancellationToken cancellationToken);
}

/// <summary>No access control yet: everyone who reaches the dashboard may read every namespace it can see.</summary>
public sealed class AllowAllNamespaceAccess : INamespaceAccess
{
    public ValueTask<bool> CanReadAsync(ClaimsPrincipal user, string? @namespace, CancellationToken cancellationToken) =>
        ValueTask.FromResult(true);
}
