using System.Net;
using Dashboard.Kubernetes.Connection;
using Dashboard.Kubernetes.Query;
using Dashboard.Kubernetes.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Dashboard.Kubernetes.Tests.Query;

/// <summary>Which cache answers a job's detail: the all-namespaces one only when it actually knows the jobs.</summary>
public sealed class DetailRoutingTests
{
    private const string ClusterScopeForbidden = """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pytorchjobs.kubeflow.org is forbidden: User \"system:serviceaccount:dash:dash\" cannot list resource \"pytorchjobs\" in API group \"kubeflow.org\" at the cluster scope","reason":"Forbidden","details":{"group":"kubeflow.org","kind":"pytorchjobs"},"code":403}""";

    [Fact]
    public async Task A_job_in_a_readable_namespace_is_found_while_the_all_namespaces_cache_is_forbidden()
    {
        await using var test = await TestService.StartAsync(TestService.QuietEmulator("team-a"));
        test.Emulator.Store.Create(Jobs.Create("team-a", "one"));
        await using var rbac = await NamespaceScopedRbacAsync(test.Emulator.BaseAddress);
        await using var service = new JobQueryService(
            StaticKubernetesConnection.ForServer(rbac.Address), Options.Create(TestService.FastOptions()), TimeProvider.System, NullLoggerFactory.Instance);

        // Someone has the all-namespaces view open: with namespace-scoped RBAC that cache is refused.
        await using var all = await service.SubscribeAsync(null, null, CancellationToken.None);
        await Wait.UntilAsync(() => service.Caches.Caches[""].Sync.Phase == SyncPhase.Error, "the all-namespaces cache is refused");

        await using var detail = await service.SubscribeJobAsync("team-a", "one", CancellationToken.None);
        var current = detail.Current;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await foreach (var update in detail.Updates.WithCancellation(timeout.Token))
        {
            if ((current = update.Detail) is not null)
            {
                break;
            }
        }

        Assert.Equal("one", current?.Summary.Name);
        Assert.True(service.Caches.Caches.ContainsKey("team-a"), "the detail came from a cache of its namespace");
    }

    private sealed record Proxy(WebApplication App, Uri Address) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => App.DisposeAsync();
    }

    /// <summary>The emulator behind a loopback proxy that refuses the cluster-wide PyTorchJob path, as namespace-scoped RBAC does.</summary>
    private static async Task<Proxy> NamespaceScopedRbacAsync(Uri emulator)
    {
        var upstream = new HttpClient { BaseAddress = emulator, Timeout = Timeout.InfiniteTimeSpan };
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(async context =>
        {
            context.Response.ContentType = "application/json";
            if (context.Request.Path.Value == "/apis/kubeflow.org/v1/pytorchjobs")
            {
                context.Response.StatusCode = 403;
                await context.Response.WriteAsync(ClusterScopeForbidden);
                return;
            }

            using var response = await upstream.GetAsync(context.Request.Path + context.Request.QueryString, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
            context.Response.StatusCode = (int)response.StatusCode;
            await using var body = await response.Content.ReadAsStreamAsync(context.RequestAborted);
            try
            {
                await body.CopyToAsync(context.Response.Body, context.RequestAborted);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                // The client went away (a watch being stopped).
            }
        });
        app.Lifetime.ApplicationStopped.Register(upstream.Dispose);
        await app.StartAsync();
        return new Proxy(app, new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()));
    }
}
