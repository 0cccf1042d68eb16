using Dashboard.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Hubs;

public enum HubProtocol
{
    Json,
    MessagePack,
}

/// <summary>The dashboard test server with SignalR clients over WebSockets in either protocol.</summary>
internal sealed class HubTestServer(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? configureServices = null)
    : DashboardTestServer(settings, configureServices)
{
    public HubConnection CreateHubConnection(HubProtocol protocol)
    {
        var builder = JobsHubConnectionBuilder();
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
}
