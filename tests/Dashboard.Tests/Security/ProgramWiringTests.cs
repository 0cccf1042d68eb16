using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dashboard.Tests.Security;

/// <summary>
/// The two calls Program makes (AddDashboardSecurity before Build, UseDashboardSecurity right after), on a bare
/// WebApplication on Kestrel: headers on every response, the sign-in page, and no double work when a test's
/// startup filter adds the same middleware again.
/// </summary>
public sealed class ProgramWiringTests
{
    [Fact]
    public async Task The_program_calls_add_headers_and_the_sign_in_page_to_a_web_application()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = ["--urls", "http://127.0.0.1:0"] });
        builder.Logging.ClearProviders();
        builder.AddDashboardSecurity();
        builder.AddDashboardSecurity(); // idempotent
        await using var app = builder.Build();
        app.UseDashboardSecurity();
        app.MapGet("/api/ping", () => Results.Text("pong"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var client = new HttpClient { BaseAddress = new Uri(address) };

        using var api = await client.GetAsync("/api/ping");
        using var signIn = await client.GetAsync("/signin");
        await app.StopAsync();

        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        Assert.Equal("nosniff", string.Join(",", api.Headers.GetValues("X-Content-Type-Options")));
        Assert.Contains("frame-ancestors 'none'", string.Join(",", api.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode); // Mode None: nobody is signed in; the page says so
        Assert.Contains("not-signed-in", await signIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
