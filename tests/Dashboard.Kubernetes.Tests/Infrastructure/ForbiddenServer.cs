using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dashboard.Kubernetes.Tests.Infrastructure;

/// <summary>A loopback server that answers every request with the API server's 403 for a forbidden list (the emulator has no RBAC).</summary>
public sealed class ForbiddenServer : IAsyncDisposable
{
    public const string Message = "pytorchjobs.kubeflow.org is forbidden: User \"system:serviceaccount:dash:dash\" cannot list resource \"pytorchjobs\" in API group \"kubeflow.org\" in the namespace \"team-a\"";

    private readonly WebApplication _app;

    private ForbiddenServer(WebApplication app, Uri address)
    {
        _app = app;
        BaseAddress = address;
    }

    public Uri BaseAddress { get; }

    public int Requests;

    public static async Task<ForbiddenServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        ForbiddenServer? server = null;
        app.Run(async context =>
        {
            Interlocked.Increment(ref server!.Requests);
            context.Response.StatusCode = 403;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsJsonAsync(new
            {
                kind = "Status",
                apiVersion = "v1",
                metadata = new { },
                status = "Failure",
                message = Message,
                reason = "Forbidden",
                details = new { group = "kubeflow.org", kind = "pytorchjobs" },
                code = 403,
            });
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new ForbiddenServer(app, new Uri(address));
        return server;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
