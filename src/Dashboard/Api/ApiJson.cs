using System.Text.Json;
using System.Text.Json.Serialization;
using Dashboard.Kubernetes.Query;
using Dashboard.Security;
using k8s;

namespace Dashboard.Api;

/// <summary>The JSON shapes of the read-only API, built in one place.</summary>
internal static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = false,
    };

    public static object Sync(SyncStatus sync) => new
    {
        state = sync.Phase,
        sync.ItemsLoaded,
        sync.ItemsEstimated,
        sync.Attempt,
        sync.NextAttemptAt,
        sync.StaleSince,
        sync.LastSyncedAt,
        error = sync.Error is { } error ? new { error.Kind, error.Code, error.Reason, error.Message } : null,
    };

    public static object Detail(JobDetail detail, SyncStatus sync) => new
    {
        @namespace = detail.Summary.Namespace,
        name = detail.Summary.Name,
        resourceVersion = detail.Summary.ResourceVersion,
        deleted = detail.Deleted,
        sync = Sync(sync),
        summary = detail.Summary,
        // The cached bytes as the API server sent them: nothing the typed model does not know is lost.
        job = detail.Json.IsEmpty
            ? JsonSerializer.Deserialize<JsonElement>(KubernetesJson.Serialize(detail.Job))
            : JsonSerializer.Deserialize<JsonElement>(detail.Json.Span),
        history = detail.History,
    };

    public static IResult Status(QueryRefusal refusal) => Status(refusal.StatusCode, refusal.Reason, refusal.Message);

    /// <summary>A Kubernetes-style Status body, as the API server answers errors.</summary>
    public static IResult Status(int code, string reason, string message) => Results.Json(
        new { kind = "Status", apiVersion = "v1", metadata = new { }, status = "Failure", message, reason, code },
        Options,
        statusCode: code);
}
