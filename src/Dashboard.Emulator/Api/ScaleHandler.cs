using System.Globalization;
using System.Text.Json.Nodes;
using Dashboard.Emulator.Errors;
using Dashboard.Emulator.Patching;
using Dashboard.Emulator.Store;
using Dashboard.Model.PyTorchJobs;

namespace Dashboard.Emulator.Api;

/// <summary>
/// The scale subresource of PyTorchJobs (autoscaling/v1 Scale), as the CRD declares it: spec.replicas is
/// .spec.pytorchReplicaSpecs.Worker.replicas, status.replicas .status.replicaStatuses.Worker.active and the selector
/// .status.replicaStatuses.Worker.selector. `kubectl scale pytorchjob x --replicas=N` uses it.
/// </summary>
internal static class ScaleHandler
{
    public static Task GetAsync(HttpContext http, ApiContext api, ResourceRoute route)
    {
        var stored = api.Store.Get(route.Kind, route.Namespace, route.Name!) ?? throw ApiErrors.NotFound(route.Kind, route.Name!);
        return WriteAsync(http, (PyTorchJob)ObjectCodec.FromStored(route.Kind, stored));
    }

    public static async Task UpdateAsync(HttpContext http, ApiContext api, ResourceRoute route, bool isPatch)
    {
        var body = RequestBody.ParseJson(await RequestBody.ReadBytesAsync(http.Request));
        var contentType = http.Request.ContentType?.Split(';')[0].Trim() ?? "";
        var stored = api.Store.Update(route.Kind, route.Namespace, route.Name!, current =>
        {
            var job = (PyTorchJob)current;
            var scale = isPatch ? ApplyPatch(ScaleOf(job), body, contentType) : body;
            var replicas = scale?["spec"]?["replicas"]?.GetValue<int>()
                ?? throw ApiErrors.BadRequest("Scale.spec.replicas is required");
            if (replicas < 0)
            {
                throw ApiErrors.Invalid(route.Kind, route.Name!, [FieldError.InvalidValue("spec.replicas", replicas.ToString(CultureInfo.InvariantCulture), "must be greater than or equal to 0")]);
            }

            var worker = job.Spec?.PytorchReplicaSpecs?.TryGetValue(ReplicaTypes.Worker, out var spec) == true ? spec : null;
            if (worker is null)
            {
                throw ApiErrors.Invalid(route.Kind, route.Name!, [FieldError.Required("spec.pytorchReplicaSpecs[Worker]", "the scale subresource scales the Worker replicas")]);
            }

            worker.Replicas = replicas;
            job.Metadata.ResourceVersion = (string?)scale?["metadata"]?["resourceVersion"] ?? job.Metadata.ResourceVersion;
            return job;
        });
        if (route.Kind == ResourceKind.PyTorchJobs)
        {
            api.Stats.CountWrite();
        }

        await WriteAsync(http, (PyTorchJob)ObjectCodec.FromStored(route.Kind, stored));
    }

    private static JsonNode? ApplyPatch(JsonNode scale, JsonNode? patch, string contentType) => contentType switch
    {
        "application/merge-patch+json" or "application/strategic-merge-patch+json" => JsonMergePatch.Apply(scale, patch),
        "application/json-patch+json" when patch is JsonArray operations => JsonPatch.Apply(scale, operations),
        _ => throw ApiErrors.UnsupportedMediaType(contentType),
    };

    private static JsonObject ScaleOf(PyTorchJob job)
    {
        var worker = job.Status?.ReplicaStatuses?.TryGetValue(ReplicaTypes.Worker, out var status) == true ? status : null;
        var replicas = job.Spec?.PytorchReplicaSpecs?.TryGetValue(ReplicaTypes.Worker, out var spec) == true ? spec.Replicas ?? 1 : 0;
        var meta = job.Metadata;
        var scaleStatus = new JsonObject { ["replicas"] = worker?.Active ?? 0 };
        if (worker?.Selector is { } selector)
        {
            scaleStatus["selector"] = selector;
        }

        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = meta.Name,
                ["namespace"] = meta.NamespaceProperty,
                ["uid"] = meta.Uid,
                ["resourceVersion"] = meta.ResourceVersion,
                ["creationTimestamp"] = meta.CreationTimestamp?.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            },
            ["spec"] = new JsonObject { ["replicas"] = replicas },
            ["status"] = scaleStatus,
        };
    }

    private static Task WriteAsync(HttpContext http, PyTorchJob job) =>
        JsonResponses.WriteBytesAsync(http, 200, System.Text.Encoding.UTF8.GetBytes(ScaleOf(job).ToJsonString()));
}
