using Dashboard.Emulator.Api;
using Dashboard.Emulator.Control;
using Dashboard.Emulator.Discovery;
using Dashboard.Emulator.Errors;

namespace Dashboard.Emulator.Hosting;

/// <summary>
/// Every request: control endpoints first (no token, no faults), then the token, added latency, the CRD switch,
/// injected failures on resource paths, and the resource, discovery or OpenAPI answer. Failures become Status bodies
/// (with Retry-After when the Status carries details.retryAfterSeconds).
/// </summary>
internal sealed class RequestPipeline(ApiContext api, DiscoveryDocuments discovery, OpenApiDocuments openApi, Func<IScenarioControl?> scenario)
{
    public async Task HandleAsync(HttpContext http)
    {
        try
        {
            await DispatchAsync(http);
        }
        catch (StatusException e)
        {
            if (!http.Response.HasStarted)
            {
                SetRetryAfter(http, e);
                await JsonResponses.WriteStatusAsync(http, e);
            }
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested || api.Stopping.IsCancellationRequested)
        {
            // The client went away or the host is stopping: nothing left to answer.
        }
        catch (Exception e) when (!http.Response.HasStarted)
        {
            // A bug of ours still answers as the API server would, with the cause in the message.
            await JsonResponses.WriteStatusAsync(http, ApiErrors.InternalError($"{e.GetType().Name}: {e.Message}"));
        }
    }

    /// <summary>
    /// As the API server's error writer does: a 429 or 5xx whose Status asks for a wait (details.retryAfterSeconds
    /// above 0) also says so in the Retry-After header, in seconds.
    /// </summary>
    internal static void SetRetryAfter(HttpContext http, StatusException error)
    {
        if ((error.Code == 429 || error.Code >= 500) && error.Status.Details?.RetryAfterSeconds is > 0 and var seconds)
        {
            http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    private async Task DispatchAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "/";
        if (path.StartsWith(ControlEndpoints.Prefix, StringComparison.Ordinal))
        {
            await ControlEndpoints.HandleAsync(http, api, scenario());
            return;
        }

        if (api.Options.Token is { } token && http.Request.Headers.Authorization.ToString() != "Bearer " + token)
        {
            throw ApiErrors.Unauthorized();
        }

        if (api.Faults.Settings.LatencyMs is > 0 and var latency)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(latency), api.Time, http.RequestAborted);
        }

        if (api.Options.WithoutCrd && ResourceRoute.IsUnderCrdGroup(path))
        {
            throw ApiErrors.UnknownPath();
        }

        if (Auth.ReviewEndpoints.Matches(path))
        {
            await Auth.ReviewEndpoints.HandleAsync(http, api.Options.Policy);
            return;
        }

        if (ResourceRoute.Match(path) is { } route)
        {
            if (api.Faults.ShouldFail())
            {
                api.Stats.CountFault();
                throw api.Faults.Failure();
            }

            await KubernetesApi.HandleAsync(http, api, route);
            return;
        }

        if (HttpMethods.IsGet(http.Request.Method) && (discovery.Find(path) ?? openApi.Find(path)) is { } document)
        {
            await JsonResponses.WriteBytesAsync(http, 200, document);
            return;
        }

        throw ApiErrors.UnknownPath();
    }
}
