using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dashboard.Emulator.Errors;
using Dashboard.Emulator.Store;
using k8s;
using k8s.Models;

namespace Dashboard.Emulator.Api;

/// <summary>Reads request bodies: objects, patches and DeleteOptions.</summary>
internal static class RequestBody
{
    public static async Task<byte[]> ReadBytesAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        return buffer.ToArray();
    }

    public static IKubernetesObject<V1ObjectMeta> ParseObject(ResourceKind kind, byte[] body)
    {
        IKubernetesObject<V1ObjectMeta> obj;
        try
        {
            obj = ObjectCodec.Deserialize(kind, body);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw ApiErrors.BadRequest($"the object provided is unrecognized or invalid: {e.Message}");
        }

        if (obj is null)
        {
            throw ApiErrors.BadRequest("the object provided is unrecognized or invalid: empty body");
        }

        if (!string.IsNullOrEmpty(obj.Kind) && obj.Kind != kind.Kind)
        {
            throw ApiErrors.BadRequest($"the kind in the data ({obj.Kind}) does not match the expected kind ({kind.Kind})");
        }

        if (!string.IsNullOrEmpty(obj.ApiVersion) && obj.ApiVersion != kind.ApiVersion)
        {
            throw ApiErrors.BadRequest($"the API version in the data ({obj.ApiVersion}) does not match the expected API version ({kind.ApiVersion})");
        }

        obj.Kind = kind.Kind;
        obj.ApiVersion = kind.ApiVersion;
        obj.Metadata ??= new V1ObjectMeta();
        return obj;
    }

    public static JsonNode? ParseJson(byte[] body)
    {
        try
        {
            return JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            throw ApiErrors.BadRequest($"error decoding patch: {e.Message}");
        }
    }

    /// <summary>The preconditions of a DeleteOptions body, if any.</summary>
    public static (string? ResourceVersion, string? Uid) ParseDeletePreconditions(byte[] body)
    {
        if (body.Length == 0)
        {
            return (null, null);
        }

        var node = ParseJson(body);
        var preconditions = node?["preconditions"];
        return (preconditions?["resourceVersion"]?.GetValue<string>(), preconditions?["uid"]?.GetValue<string>());
    }

    public static IKubernetesObject<V1ObjectMeta> FromNode(ResourceKind kind, JsonNode? node) =>
        ParseObject(kind, Encoding.UTF8.GetBytes(node?.ToJsonString() ?? "null"));

    public static JsonNode ToNode(IKubernetesObject<V1ObjectMeta> obj) => JsonNode.Parse(Serialization.KubeJson.SerializeToUtf8Bytes(obj))!;
}
