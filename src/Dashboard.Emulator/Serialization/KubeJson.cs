using System.Text.Json;
using k8s;

namespace Dashboard.Emulator.Serialization;

/// <summary>
/// KubernetesClient's JSON options (quantities, dates, int-or-string ...) used directly with System.Text.Json:
/// KubernetesJson.Serialize costs several times more per object, which matters when seeding 10,000 jobs.
/// </summary>
internal static class KubeJson
{
    public static readonly JsonSerializerOptions Options = CaptureOptions();

    public static byte[] SerializeToUtf8Bytes(object value) => JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), Options);

    public static T Deserialize<T>(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException("null is not an object");

    private static JsonSerializerOptions CaptureOptions()
    {
        JsonSerializerOptions? captured = null;
        KubernetesJson.AddJsonOptions(options => captured = options);
        return captured ?? throw new InvalidOperationException("KubernetesJson did not hand out its options.");
    }
}
