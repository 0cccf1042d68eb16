using Dashboard.Emulator.Serialization;
using Dashboard.Model.PyTorchJobs;
using k8s;
using k8s.Models;

namespace Dashboard.Emulator.Store;

/// <summary>Turns typed objects into stored bytes and back; serialization happens once per write.</summary>
internal static class ObjectCodec
{
    public static StoredObject ToStored(ResourceKind kind, IKubernetesObject<V1ObjectMeta> obj)
    {
        var meta = obj.Metadata;
        var json = KubeJson.SerializeToUtf8Bytes(obj);
        var metadataJson = MetadataSlice(json);
        return new StoredObject(
            kind.KeyOf(meta.NamespaceProperty, meta.Name),
            kind.IsNamespaced ? meta.NamespaceProperty ?? "" : "",
            meta.Name,
            long.TryParse(meta.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture, out var rv) ? rv : 0,
            meta.Uid ?? "",
            meta.Labels is null ? null : new Dictionary<string, string>(meta.Labels),
            meta.CreationTimestamp,
            StateOf(obj),
            json,
            metadataJson);
    }

    /// <summary>The "metadata" value of a serialized object, cut out of its bytes rather than serialized again.</summary>
    private static byte[] MetadataSlice(byte[] json)
    {
        var reader = new System.Text.Json.Utf8JsonReader(json);
        reader.Read(); // the object's start
        while (reader.Read() && reader.TokenType == System.Text.Json.JsonTokenType.PropertyName)
        {
            var isMetadata = reader.ValueTextEquals("metadata"u8);
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            if (isMetadata)
            {
                return json[start..(int)reader.BytesConsumed];
            }
        }

        return "{}"u8.ToArray();
    }

    public static IKubernetesObject<V1ObjectMeta> FromStored(ResourceKind kind, StoredObject stored) => Deserialize(kind, stored.Json);

    public static IKubernetesObject<V1ObjectMeta> Deserialize(ResourceKind kind, ReadOnlySpan<byte> json)
    {
        return kind == ResourceKind.PyTorchJobs
            ? KubeJson.Deserialize<PyTorchJob>(json)
            : KubeJson.Deserialize<V1Namespace>(json);
    }

    private static string? StateOf(IKubernetesObject<V1ObjectMeta> obj) => obj switch
    {
        PyTorchJob job => job.Status?.Conditions is { Count: > 0 } conditions ? conditions[^1].Type : null,
        V1Namespace ns => ns.Status?.Phase ?? "Active",
        _ => null,
    };
}
