using Dashboard.Kubernetes.Configuration;
using Dashboard.Kubernetes.Query;
using Dashboard.Model.Selectors;
using Dashboard.Security;
using Microsoft.Extensions.Options;

namespace Dashboard.Api;

/// <summary>The read-only JSON API over the shared job cache, and the health endpoints.</summary>
public static class JobApiEndpoints
{
    public static IEndpointRouteBuilder MapJobApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/jobs", ListJobsAsync);
        endpoints.MapGet("/api/jobs/{namespace}/{name}", GetJobAsync);
        endpoints.MapGet("/api/namespaces", GetNamespacesAsync);
        endpoints.MapGet("/healthz", () => Results.Text("ok"));
        endpoints.MapGet("/readyz", (JobQueryReadiness readiness) =>
        {
            var report = readiness.GetReport();
            var body = new
            {
                status = report.Ready ? "ready" : "not ready",
                reason = report.Reason,
                caches = report.Caches.ToDictionary(c => c.Key.Length == 0 ? "*" : c.Key, c => ApiJson.Sync(c.Value)),
            };
            return Results.Json(body, ApiJson.Options, statusCode: report.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        return endpoints;
    }

    private static async Task<IResult> ListJobsAsync(
        string? @namespace, string? labelSelector, HttpContext http, IJobQueryService queries, INamespaceAccess access,
        IOptions<KubernetesOptions> options, CancellationToken cancellationToken)
    {
        JobSubscription subscription;
        try
        {
            subscription = await AuthorizedJobQueries.For(queries, access, http.User).SubscribeAsync(@namespace, labelSelector, cancellationToken);
        }
        catch (SelectorParseException exception)
        {
            return ApiJson.Status(StatusCodes.Status400BadRequest, "BadRequest", exception.Message);
        }
        catch (Exception exception) when (QueryRefusal.From(exception) is { } refusal)
        {
            return ApiJson.Status(refusal);
        }

        await using (subscription)
        {
            var snapshot = subscription.Snapshot;
            var jobs = new Dictionary<(string, string), JobSummary>();
            foreach (var job in snapshot.Jobs)
            {
                jobs[(job.Namespace, job.Name)] = job;
            }

            var sync = snapshot.Sync;
            var resourceVersion = snapshot.ResourceVersion;
            if (sync.Phase == SyncPhase.Syncing)
            {
                // A cold cache: wait briefly for its first full list, folding in what arrives meanwhile.
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                wait.CancelAfter(options.Value.FirstSyncWait);
                try
                {
                    await foreach (var batch in subscription.Changes.WithCancellation(wait.Token))
                    {
                        foreach (var change in batch.Changes)
                        {
                            if (change.Kind == JobChangeKind.Upsert && change.Job is { } job)
                            {
                                jobs[(change.Namespace, change.Name)] = job;
                            }
                            else
                            {
                                jobs.Remove((change.Namespace, change.Name));
                            }
                        }

                        sync = batch.Sync;
                        resourceVersion = batch.ResourceVersion;
                        if (sync.Phase != SyncPhase.Syncing)
                        {
                            break;
                        }
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // Answer with what there is; the sync state says it is partial.
                }
            }

            if (sync.LastSyncedAt is null && sync.Phase is not (SyncPhase.Live or SyncPhase.Syncing))
            {
                // Never listed and failing: an empty list would read as "no jobs".
                return NotSyncedStatus(sync);
            }

            var items = jobs.Values
                .OrderBy(j => j.Namespace, StringComparer.Ordinal)
                .ThenBy(j => j.Name, StringComparer.Ordinal)
                .ToArray();
            return Results.Json(
                new
                {
                    @namespace = snapshot.Namespace,
                    labelSelector = snapshot.LabelSelector,
                    resourceVersion,
                    sync = ApiJson.Sync(sync),
                    items,
                },
                ApiJson.Options);
        }
    }

    private static async Task<IResult> GetJobAsync(
        string @namespace, string name, HttpContext http, IJobQueryService queries, INamespaceAccess access,
        IOptions<KubernetesOptions> options, CancellationToken cancellationToken)
    {
        JobDetailSubscription subscription;
        try
        {
            subscription = await AuthorizedJobQueries.For(queries, access, http.User).SubscribeJobAsync(@namespace, name, cancellationToken);
        }
        catch (Exception exception) when (QueryRefusal.From(exception) is { } refusal)
        {
            return ApiJson.Status(refusal);
        }

        await using var disposeSubscription = subscription;
        var detail = subscription.Current;
        var sync = subscription.Sync;
        if (detail is null && sync.Phase == SyncPhase.Syncing)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(options.Value.FirstSyncWait);
            try
            {
                await foreach (var update in subscription.Updates.WithCancellation(wait.Token))
                {
                    detail = update.Detail;
                    sync = update.Sync;
                    if (detail is not null || sync.Phase != SyncPhase.Syncing)
                    {
                        break;
                    }
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
        }

        if (detail is not null)
        {
            return Results.Json(ApiJson.Detail(detail, sync), ApiJson.Options);
        }

        return sync.LastSyncedAt is null && sync.Phase != SyncPhase.Live
            ? NotSyncedStatus(sync)
            : ApiJson.Status(StatusCodes.Status404NotFound, "NotFound", $"pytorchjobs.kubeflow.org \"{name}\" not found");
    }

    /// <summary>
    /// A cache that never synced cannot say a job does not exist: the API's own refusal (401/403) passes through,
    /// anything else is "not available yet" with the reason.
    /// </summary>
    private static IResult NotSyncedStatus(SyncStatus sync)
    {
        if (sync.Error is { Code: StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden } refusal)
        {
            return ApiJson.Status(refusal.Code.Value, refusal.Reason ?? refusal.Kind.ToString(), refusal.Message);
        }

        var why = sync.Error is { } error
            ? $"{sync.Phase} ({error.Kind}{(error.Code is { } code ? " " + code.ToString(System.Globalization.CultureInfo.InvariantCulture) : "")}: {error.Message})"
            : sync.Phase.ToString();
        return ApiJson.Status(StatusCodes.Status503ServiceUnavailable, "ServiceUnavailable", "The job cache has not synced yet: " + why);
    }

    private static async Task<IResult> GetNamespacesAsync(HttpContext http, IJobQueryService queries, INamespaceAccess access, CancellationToken cancellationToken)
    {
        var listing = await AuthorizedJobQueries.For(queries, access, http.User).GetNamespacesAsync(cancellationToken);
        return Results.Json(new { namespaces = listing.Namespaces, fromApi = listing.FromApi, note = listing.Note }, ApiJson.Options);
    }
}
