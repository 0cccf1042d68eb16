using System.Text.Json.Nodes;
using Dashboard.Emulator.Errors;
using Dashboard.Emulator.Patching;
using Dashboard.Emulator.Serialization;
using Dashboard.Emulator.Store;
using Dashboard.Emulator.Validation;
using Dashboard.Model.PyTorchJobs;
using k8s;
using k8s.Models;

namespace Dashboard.Emulator.Api;

/// <summary>get, create, update, patch and delete of one object and of its status subresource.</summary>
internal static class ObjectHandler
{
    public static Task GetAsync(HttpContext http, ApiContext api, ResourceRoute route)
    {
        if (route.Kind == ResourceKind.PyTorchJobs)
        {
            api.Stats.CountGet();
        }

        var stored = api.Store.Get(route.Kind, route.Namespace, route.Name!) ?? throw ApiErrors.NotFound(route.Kind, route.Name!);
        return WriteObjectAsync(http, api, route.Kind, 200, stored);
    }

    public static async Task CreateAsync(HttpContext http, ApiContext api, ResourceRoute route)
    {
        var obj = await ReadObjectAsync(http, route);
        var meta = obj.Metadata;
        if (route.Kind.IsNamespaced)
        {
            if (!string.IsNullOrEmpty(meta.NamespaceProperty) && meta.NamespaceProperty != route.Namespace)
            {
                throw ApiErrors.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }

            meta.NamespaceProperty = route.Namespace;
        }

        if (string.IsNullOrEmpty(meta.Name) && !string.IsNullOrEmpty(meta.GenerateName))
        {
            meta.Name = meta.GenerateName + RandomSuffix();
        }

        meta.ResourceVersion = null;
        if (obj is PyTorchJob job)
        {
            job.Status = null; // the status subresource is the only way to write status
        }

        Validate(route.Kind, obj);
        var stored = api.Store.Create(route.Kind, obj, IsDryRun(http));
        CountWrite(api, route);
        await WriteObjectAsync(http, api, route.Kind, 201, stored);
    }

    public static async Task UpdateAsync(HttpContext http, ApiContext api, ResourceRoute route)
    {
        var body = await ReadObjectAsync(http, route);
        if (!string.IsNullOrEmpty(body.Metadata.Name) && body.Metadata.Name != route.Name)
        {
            throw ApiErrors.BadRequest($"the name of the object ({body.Metadata.Name}) does not match the name on the URL ({route.Name})");
        }

        if (route.Kind.IsNamespaced && !string.IsNullOrEmpty(body.Metadata.NamespaceProperty) && body.Metadata.NamespaceProperty != route.Namespace)
        {
            throw ApiErrors.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        var stored = api.Store.Update(route.Kind, route.Namespace, route.Name!, current => Merge(route, current, body), IsDryRun(http));
        CountWrite(api, route);
        await WriteObjectAsync(http, api, route.Kind, 200, stored);
    }

    public static async Task PatchAsync(HttpContext http, ApiContext api, ResourceRoute route)
    {
        var contentType = http.Request.ContentType?.Split(';')[0].Trim() ?? "";
        var patch = RequestBody.ParseJson(await RequestBody.ReadBytesAsync(http.Request));
        Func<JsonNode, JsonNode?> apply = contentType switch
        {
            // A strategic merge patch without patch strategies (none are declared for this resource) is a merge patch.
            "application/merge-patch+json" or "application/strategic-merge-patch+json" => current => JsonMergePatch.Apply(current, patch),
            "application/json-patch+json" => current => JsonPatch.Apply(current, patch as JsonArray
                ?? throw ApiErrors.BadRequest("error decoding patch: a JSON patch must be an array of operations")),
            _ => throw ApiErrors.UnsupportedMediaType(contentType),
        };

        var stored = api.Store.Update(route.Kind, route.Namespace, route.Name!, current =>
        {
            JsonNode? patched;
            try
            {
                patched = apply(RequestBody.ToNode(current));
            }
            catch (JsonPatchException e)
            {
                throw ApiErrors.Failure(422, "Invalid", e.Message);
            }

            var submitted = RequestBody.FromNode(route.Kind, patched);
            CheckStrict(http, route, patched, submitted);
            return Merge(route, current, submitted);
        }, IsDryRun(http));
        CountWrite(api, route);
        await WriteObjectAsync(http, api, route.Kind, 200, stored);
    }

    public static async Task DeleteAsync(HttpContext http, ApiContext api, ResourceRoute route)
    {
        var (rv, uid) = RequestBody.ParseDeletePreconditions(await RequestBody.ReadBytesAsync(http.Request));
        var stored = api.Store.Delete(route.Kind, route.Namespace, route.Name!, rv, uid, IsDryRun(http));
        CountWrite(api, route);
        await WriteObjectAsync(http, api, route.Kind, 200, stored);
    }

    /// <summary>JSON, or for namespaces also the protobuf kubectl sends for core types.</summary>
    private static async Task<IKubernetesObject<V1ObjectMeta>> ReadObjectAsync(HttpContext http, ResourceRoute route)
    {
        var body = await RequestBody.ReadBytesAsync(http.Request);
        var isProtobuf = http.Request.ContentType?.StartsWith(ProtobufNamespace.ContentType, StringComparison.Ordinal) == true;
        if (!isProtobuf)
        {
            var obj = RequestBody.ParseObject(route.Kind, body);
            CheckStrict(http, route, RequestBody.ParseJson(body), obj);
            return obj;
        }

        return route.Kind == ResourceKind.Namespaces
            ? ProtobufNamespace.Read(body)
            : throw ApiErrors.UnsupportedMediaType(http.Request.ContentType ?? "");
    }

    /// <summary>
    /// The new object from the current one and the submitted one: the main resource keeps the current status,
    /// the status subresource changes nothing but the status.
    /// </summary>
    private static IKubernetesObject<V1ObjectMeta> Merge(ResourceRoute route, IKubernetesObject<V1ObjectMeta> current, IKubernetesObject<V1ObjectMeta> submitted)
    {
        submitted.Metadata.Name = route.Name;
        submitted.Metadata.NamespaceProperty = route.Namespace;
        switch (current, submitted)
        {
            case (PyTorchJob currentJob, PyTorchJob submittedJob) when route.Subresource == "status":
                currentJob.Status = submittedJob.Status;
                currentJob.Metadata.ResourceVersion = submittedJob.Metadata.ResourceVersion;
                return currentJob;
            case (PyTorchJob currentJob, PyTorchJob submittedJob):
                submittedJob.Status = currentJob.Status;
                Validate(route.Kind, submittedJob);
                return submittedJob;
            case (V1Namespace currentNs, V1Namespace submittedNs) when route.Subresource == "status":
                currentNs.Status = submittedNs.Status;
                currentNs.Metadata.ResourceVersion = submittedNs.Metadata.ResourceVersion;
                return currentNs;
            case (V1Namespace currentNs, V1Namespace submittedNs):
                submittedNs.Status = currentNs.Status;
                Validate(route.Kind, submittedNs);
                return submittedNs;
            default:
                return submitted;
        }
    }

    private static void Validate(ResourceKind kind, IKubernetesObject<V1ObjectMeta> obj)
    {
        IReadOnlyList<FieldError> errors = obj switch
        {
            PyTorchJob job => PyTorchJobValidator.Validate(job),
            _ => MetadataRules.CheckNamespace(obj.Metadata),
        };
        if (errors.Count > 0)
        {
            throw ApiErrors.Invalid(kind, obj.Metadata.Name ?? "", errors);
        }
    }

    private static Task WriteObjectAsync(HttpContext http, ApiContext api, ResourceKind kind, int statusCode, StoredObject stored)
    {
        if (TableRequest.Wants(http.Request))
        {
            var include = TableRequest.IncludeObject(http.Request);
            var now = api.Time.GetUtcNow();
            return JsonResponses.WriteAsync(http, statusCode,
                w => TableWriter.Write(w, kind, new ListPage([stored], stored.ResourceVersion, null, null), include, now));
        }

        return JsonResponses.WriteBytesAsync(http, statusCode, stored.Json);
    }

    /// <summary>With fieldValidation=Strict an unknown field is a 400, as the API server answers kubectl.</summary>
    private static void CheckStrict(HttpContext http, ResourceRoute route, JsonNode? request, IKubernetesObject<V1ObjectMeta> typed)
    {
        if (http.Request.Query["fieldValidation"] == "Strict"
            && UnknownFields.FindFirst(request, RequestBody.ToNode(typed)) is { } unknown)
        {
            throw ApiErrors.BadRequest(
                $"{route.Kind.Kind} in version \"{route.Kind.Version}\" cannot be handled as a {route.Kind.Kind}: strict decoding error: unknown field \"{unknown}\"");
        }
    }

    /// <summary>dryRun=All: everything is checked and answered, nothing is stored.</summary>
    private static bool IsDryRun(HttpContext http) => http.Request.Query["dryRun"].ToString() switch
    {
        "" => false,
        "All" => true,
        var other => throw ApiErrors.BadRequest($"dryRun: Unsupported value: \"{other}\": supported values: \"All\""),
    };

    private static void CountWrite(ApiContext api, ResourceRoute route)
    {
        if (route.Kind == ResourceKind.PyTorchJobs)
        {
            api.Stats.CountWrite();
        }
    }

    private static string RandomSuffix()
    {
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        return string.Create(5, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[Random.Shared.Next(alphabet.Length)];
            }
        });
    }
}
