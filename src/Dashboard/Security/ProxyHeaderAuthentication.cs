using System.Net;
using Microsoft.Extensions.Options;

namespace Dashboard.Security;

/// <summary>
/// Auth:Mode ProxyHeaders: the user and groups headers name the user only when the request comes straight from a
/// trusted proxy address. From anyone else they are removed unread, so the request is anonymous.
/// </summary>
public sealed class ProxyHeaderAuthentication(RequestDelegate next, IOptions<AuthOptions> options)
{
    public const string AuthenticationType = "ProxyHeaders";

    private readonly IReadOnlyList<IPNetwork> _trusted = ParseNetworks(options.Value.TrustedProxies);

    public Task InvokeAsync(HttpContext context)
    {
        // Wired twice (Program and a test's startup filter) it still runs once per request.
        if (!context.Items.TryAdd(typeof(ProxyHeaderAuthentication), true))
        {
            return next(context);
        }

        var settings = options.Value;
        var headers = context.Request.Headers;
        var user = headers[settings.UserHeader].ToString().Trim();
        var groups = headers[settings.GroupsHeader].ToString();
        if (IsTrusted(context.Connection.RemoteIpAddress))
        {
            if (user.Length > 0)
            {
                var groupList = groups.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                context.User = DashboardClaims.Create(user, groupList, AuthenticationType);
            }
        }
        else
        {
            headers.Remove(settings.UserHeader);
            headers.Remove(settings.GroupsHeader);
        }

        return next(context);
    }

    public bool IsTrusted(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return _trusted.Any(n => n.Contains(address));
    }

    /// <summary>"10.0.0.5", "10.0.0.0/8", "::1", "fd00::/8".</summary>
    public static IReadOnlyList<IPNetwork> ParseNetworks(IEnumerable<string> entries)
    {
        var networks = new List<IPNetwork>();
        foreach (var raw in entries)
        {
            var entry = raw.Trim();
            if (entry.Length == 0)
            {
                continue;
            }

            if (entry.Contains('/', StringComparison.Ordinal))
            {
                networks.Add(IPNetwork.Parse(entry));
            }
            else
            {
                var address = IPAddress.Parse(entry);
                networks.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
        }

        return networks;
    }
}
