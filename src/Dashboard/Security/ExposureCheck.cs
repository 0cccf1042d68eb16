using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Dashboard.Security;

/// <summary>
/// Where the dashboard listens by default, and a warning at start when it listens beyond loopback while anyone
/// who reaches it sees everything (Auth:Mode None).
/// </summary>
public sealed class ExposureCheck(IServer server, IHostApplicationLifetime lifetime, IOptions<AuthOptions> options, ILogger<ExposureCheck> logger)
    : IHostedService
{
    /// <summary>Used when nothing sets urls, ports or Kestrel endpoints: loopback only.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5000";

    /// <summary>Whether the configuration says nothing about where to listen (so the loopback default applies).</summary>
    public static bool ListenAddressUnconfigured(IConfiguration configuration) =>
        string.IsNullOrWhiteSpace(configuration["urls"])
        && string.IsNullOrWhiteSpace(configuration["http_ports"])
        && string.IsNullOrWhiteSpace(configuration["https_ports"])
        && !configuration.GetSection("Kestrel:Endpoints").GetChildren().Any();

    /// <summary>The addresses that are reachable from other machines (wildcards and non-loopback hosts).</summary>
    public static IReadOnlyList<string> ExposedAddresses(IEnumerable<string> addresses) =>
        [.. addresses.Where(a => !IsLoopback(a))];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => Check());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Logs the warning if it applies; returns whether it did.</summary>
    public bool Check()
    {
        if (options.Value.Mode != AuthMode.None)
        {
            return false;
        }

        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var exposed = ExposedAddresses(addresses);
        if (exposed.Count == 0)
        {
            return false;
        }

        logger.LogWarning(
            "The dashboard listens on {Addresses} without authentication (Auth:Mode None): anyone who can reach it sees every namespace it can read. "
            + "Set Auth:Mode to ProxyHeaders or Token, or listen on 127.0.0.1 only.",
            string.Join(", ", exposed));
        return true;
    }

    private static bool IsLoopback(string address)
    {
        // Kestrel reports "http://127.0.0.1:5000", "http://[::]:8080", "http://+:80", "http://localhost:5000".
        if (!Uri.TryCreate(address.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri))
        {
            return false;
        }

        if (uri.IsLoopback)
        {
            return true;
        }

        return IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
    }
}
