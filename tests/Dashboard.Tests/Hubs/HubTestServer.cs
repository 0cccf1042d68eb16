using System.Net;
using Dashboard.Hubs;
using Dashboard.Kubernetes;
using Dashboard.Kubernetes.Query;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Hubs;

public enum HubProtocol
{
    Json,
    MessagePack,
}

/// <summary>
/// The dashboard on a real Kestrel port on 127.0.0.1, with settings and service replacements from the test,
/// and SignalR clients over WebSockets.
/// </summary>
internal sealed class HubTestServer : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly Action<IServiceCollection> _configureServices;

    public HubTestServer(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? configureServices = null)
    {
        _settings = settings;
        _configureServices = configureServices ?? (_ => { });
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
    }

    public Uri BaseAddress
    {
        get
        {
            StartServer();
            var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
            return new Uri(addresses.Addresses.First());
        }
    }

    public HubConnection CreateHubConnection(HubProtocol protocol)
    {
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(BaseAddress, JobHubEndpoints.Path), options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                options.SkipNegotiation = true;
            });
        if (protocol == HubProtocol.MessagePack)
        {
            builder.AddMessagePackProtocol();
        }

        return builder.Build();
    }

    public async Task<HubConnection> ConnectAsync(HubProtocol protocol)
    {
        var connection = CreateHubConnection(protocol);
        await connection.StartAsync();
        return connection;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(_configureServices);
    }
}
