using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dashboard.Emulator.Errors;

namespace Dashboard.Emulator.Api;

/// <summary>
/// kube-apiserver's continue token: base64url (no padding) of {"v":"meta.k8s.io/v1","rv":SNAPSHOT,"start":"KEY\0"}.
/// rv -1 means "continue from the latest state" (what the 410 answer hands out).
/// </summary>
internal static class ContinueToken
{
    private const string TokenVersion = "meta.k8s.io/v1";

    public static string Encode(long resourceVersion, string startKey) =>
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new Payload(TokenVersion, resourceVersion, startKey), TokenJson.Default.Payload));

    public static (long ResourceVersion, string StartKey) Decode(string token)
    {
        Payload? payload;
        try
        {
            payload = JsonSerializer.Deserialize(Base64Url.DecodeFromChars(token), TokenJson.Default.Payload);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw ApiErrors.BadRequest($"invalid continue token: {e.Message}");
        }

        if (payload is null || payload.Version != TokenVersion)
        {
            throw ApiErrors.BadRequest($"invalid continue token: continue key is not supported (server version {TokenVersion})");
        }

        if (payload.Start.Length == 0 || payload.Start.Contains("..", StringComparison.Ordinal))
        {
            throw ApiErrors.BadRequest("invalid continue token: continue key is not valid");
        }

        if (payload.ResourceVersion == 0 || payload.ResourceVersion < -1)
        {
            throw ApiErrors.BadRequest($"invalid continue token: incorrect encoded start resourceVersion (version {payload.ResourceVersion})");
        }

        return (payload.ResourceVersion, payload.Start);
    }

    internal sealed record Payload(
        [property: JsonPropertyName("v")] string Version,
        [property: JsonPropertyName("rv")] long ResourceVersion,
        [property: JsonPropertyName("start")] string Start);
}

[JsonSerializable(typeof(ContinueToken.Payload))]
internal sealed partial class TokenJson : JsonSerializerContext;
