using System.Net;
using Dashboard.Hubs;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dashboard.Tests.Security;

/// <summary>
/// The real app (Program) on Kestrel at 127.0.0.1:&lt;free port&gt; with the security services and middleware
/// hooked in (services + a startup filter, until Program calls AddDashboardSecurity/UseDashboardSecurity itself;
/// both are idempotent, so this keeps working afterwards).
/// </summary>
internal sealed class SecurityTestServer : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly Action<IServiceCollection> _configureServices;

    public SecurityTestServer(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? configureServices = null)
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
            return new Uri(addresses.Addresses.First(a => a.StartsWith("http://127.0.0.1:", StringComparison.Ordinal)));
        }
    }

    /// <summary>A client that does not follow redirects (tests look at them), optionally sending proxy headers.</summary>
    public HttpClient CreatePlainClient(string? user = null, string? groups = null)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = BaseAddress };
        if (user is not null)
        {
            client.DefaultRequestHeaders.Add("X-Forwarded-User", user);
        }

        if (groups is not null)
        {
            client.DefaultRequestHeaders.Add("X-Forwarded-Groups", groups);
        }

        return client;
    }

    public HubConnection CreateHubConnection(string? user = null, string? groups = null) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(BaseAddress, JobHubEndpoints.Path), options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                options.SkipNegotiation = true;
                if (user is not null)
                {
                    options.Headers["X-Forwarded-User"] = user;
                }

                if (groups is not null)
                {
                    options.Headers["X-Forwarded-Groups"] = groups;
                }
            })
            .Build();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureServices((context, services) =>
        {
            services.AddDashboardSecurityServices(context.Configuration);
            services.AddTransient<IStartupFilter, DashboardSecurityStartupFilter>();
        });
        builder.ConfigureTestServices(_configureServices);
    }
}
