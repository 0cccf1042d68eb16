using System.Globalization;
using System.Text.Json;
using Dashboard.Emulator.Store;
using k8s.Models;

namespace Dashboard.Emulator.Serialization;

/// <summary>Watch events on the wire: one JSON object per line, {"type":...,"object":...}.</summary>
internal static class WatchEventWriter
{
    public static void Write(Utf8JsonWriter writer, string type, StoredObject item)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, type);
        writer.WritePropertyName("object"u8);
        writer.WriteRawValue(item.Json, skipInputValidation: true);
        writer.WriteEndObject();
    }

    public static void WriteTable(Utf8JsonWriter writer, string type, ResourceKind kind, StoredObject item, IncludeObject include, DateTimeOffset now)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, type);
        writer.WritePropertyName("object"u8);
        TableWriter.Write(writer, kind, new ListPage([item], item.ResourceVersion, null, null), include, now);
        writer.WriteEndObject();
    }

    /// <summary>A BOOKMARK: the resource's kind with only metadata.resourceVersion (and the WatchList end marker).</summary>
    public static void WriteBookmark(Utf8JsonWriter writer, ResourceKind kind, long resourceVersion, bool initialEventsEnd)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, "BOOKMARK");
        writer.WriteStartObject("object"u8);
        writer.WriteString("kind"u8, kind.Kind);
        writer.WriteString("apiVersion"u8, kind.ApiVersion);
        writer.WriteStartObject("metadata"u8);
        writer.WriteString("resourceVersion"u8, resourceVersion.ToString(CultureInfo.InvariantCulture));
        writer.WriteNull("creationTimestamp"u8);
        if (initialEventsEnd)
        {
            writer.WriteStartObject("annotations"u8);
            writer.WriteString("k8s.io/initial-events-end"u8, "true");
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    public static void WriteError(Utf8JsonWriter writer, V1Status status)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, "ERROR");
        writer.WritePropertyName("object"u8);
        StatusWriter.Write(writer, status);
        writer.WriteEndObject();
    }
}
