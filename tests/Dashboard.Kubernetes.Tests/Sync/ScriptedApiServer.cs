using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dashboard.Kubernetes.Tests.Sync;

/// <summary>
/// A loopback API server for failures the emulator does not produce: every LIST is an empty list at
/// resourceVersion 10 (or a 500 Status when <c>failLists</c>), every WATCH answers 200 then one ERROR event
/// with <see cref="WatchErrorCode"/> (0: stays open, silent). With <c>rejectContinue</c> the first LIST hands out a
/// continue token that the server then refuses with 400 (as one issued by a restarted server), later LISTs are whole.
/// Each request is recorded with the time of the test's clock when it arrived.
/// </summary>
public sealed class ScriptedApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly List<RecordedRequest> _requests = [];

    public sealed record RecordedRequest(DateTimeOffset At, bool Watch, string Query);

    private ScriptedApiServer(WebApplication app, int watchErrorCode)
    {
        _app = app;
        WatchErrorCode = watchErrorCode;
    }

    public Uri BaseAddress { get; private set; } = null!;

    public int WatchErrorCode { get; }

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    public int Lists => Requests.Count(r => !r.Watch);

    public int Watches => Requests.Count(r => r.Watch);

    public static async Task<ScriptedApiServer> StartAsync(int watchErrorCode, TimeProvider time, bool failLists = false, bool rejectContinue = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new ScriptedApiServer(app, watchErrorCode);
        app.Run(async context =>
        {
            var watch = context.Request.Query["watch"] == "true";
            lock (server._gate)
            {
                server._requests.Add(new RecordedRequest(time.GetUtcNow(), watch, context.Request.QueryString.Value ?? ""));
            }

            context.Response.ContentType = "application/json";
            if (failLists && !watch)
            {
                context.Response.StatusCode = 500;
                await context.Response.WriteAsync("""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"etcdserver: request timed out","reason":"InternalError","code":500}""");
                return;
            }

            if (rejectContinue && !watch)
            {
                if (context.Request.Query.ContainsKey("continue"))
                {
                    context.Response.StatusCode = 400;
                    await context.Response.WriteAsync("""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)","reason":"BadRequest","code":400}""");
                    return;
                }

                if (server.Lists == 1)
                {
                    await context.Response.WriteAsync("""{"kind":"PyTorchJobList","apiVersion":"kubeflow.org/v1","metadata":{"resourceVersion":"10","continue":"stale-token"},"items":[]}""");
                    return;
                }
            }

            context.Response.StatusCode = 200;
            if (!watch)
            {
                await context.Response.WriteAsync("""{"kind":"PyTorchJobList","apiVersion":"kubeflow.org/v1","metadata":{"resourceVersion":"10"},"items":[]}""");
                return;
            }

            if (watchErrorCode == 0)
            {
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            var (reason, message) = watchErrorCode == 410
                ? ("Expired", "too old resource version: 10 (20)")
                : ("InternalError", "etcdserver: leader changed");
            await context.Response.WriteAsync(
                $$$"""{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"{{{message}}}","reason":"{{{reason}}}","code":{{{watchErrorCode}}}}}""" + "\n");
        });
        await app.StartAsync();
        server.BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return server;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
