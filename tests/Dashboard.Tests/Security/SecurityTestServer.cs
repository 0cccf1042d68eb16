using Dashboard.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dashboard.Tests.Security;

/// <summary>
/// The dashboard test server with the security services and middleware hooked in (services + a startup filter,
/// until Program calls AddDashboardSecurity/UseDashboardSecurity itself; both are idempotent, so this keeps
/// working afterwards), and clients that send proxy headers.
/// </summary>
internal sealed class SecurityTestServer(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? configureServices = null)
    : DashboardTestServer(settings, configureServices)
{
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
        JobsHubConnectionBuilder(options =>
            {
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

    protected override void ConfigureHost(IWebHostBuilder builder)
    {
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureServices((context, services) =>
        {
            services.AddDashboardSecurityServices(context.Configuration);
            services.AddTransient<IStartupFilter, DashboardSecurityStartupFilter>();
        });
    }
}
