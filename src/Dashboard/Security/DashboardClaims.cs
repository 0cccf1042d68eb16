using System.Security.Claims;

namespace Dashboard.Security;

/// <summary>The claims the dashboard puts on a signed-in user, and reading them back.</summary>
public static class DashboardClaims
{
    public const string GroupType = "groups";

    public static ClaimsPrincipal Create(string user, IEnumerable<string> groups, string authenticationType)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, user) };
        claims.AddRange(groups.Select(g => new Claim(GroupType, g)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>The signed-in user's name, or null for anonymous.</summary>
    public static string? UserName(ClaimsPrincipal user) =>
        user.Identity is { IsAuthenticated: true } ? user.FindFirst(ClaimTypes.Name)?.Value : null;

    public static IReadOnlyList<string> Groups(ClaimsPrincipal user) =>
        [.. user.FindAll(GroupType).Select(c => c.Value).Order(StringComparer.Ordinal)];
}
