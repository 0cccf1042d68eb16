using System.Net;
using Dashboard.Hubs;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Infrastructure;

/// <summary>
/// The real app (Program) on a real Kestrel port on 127.0.0.1, with settings and service replacements from the
/// test. Subclasses add what their tests need (<see cref="ConfigureHost"/> for more host setup).
/// </summary>
internal abstract class DashboardTestServer : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly Action<IServiceCollection> _configureServices;

    protected DashboardTestServer(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? configureServices)
    {
        _settings = settings;
        _configureServices = configureServices ?? (_ => { });
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
    }

    /// <summary>The server's address (starting it on first use).</summary>
    public Uri BaseAddress
    {
        get
        {
            StartServer();
            var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
            return new Uri(addresses.Addresses.First(a => a.StartsWith("http://127.0.0.1:", StringComparison.Ordinal)));
        }
    }

    /// <summary>A SignalR connection builder for the jobs hub over WebSockets only (no negotiation).</summary>
    protected IHubConnectionBuilder JobsHubConnectionBuilder(Action<HttpConnectionOptions>? configure = null) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(BaseAddress, JobHubEndpoints.Path), options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                options.SkipNegotiation = true;
                configure?.Invoke(options);
            });

    /// <summary>More host setup, after the test's settings and before its service replacements.</summary>
    protected virtual void ConfigureHost(IWebHostBuilder builder)
    {
    }

    protected sealed override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        ConfigureHost(builder);
        builder.ConfigureTestServices(_configureServices);
    }
}
