using System.Text.Json;
using Dashboard.Emulator.Store;

namespace Dashboard.Emulator.Serialization;

/// <summary>What a Table row carries of its object (the includeObject parameter).</summary>
internal enum IncludeObject
{
    None,
    Metadata,
    Object,
}

/// <summary>The meta.k8s.io/v1 Table the API server answers when a client asks `as=Table` (what kubectl get prints).</summary>
internal static class TableWriter
{
    private const string NameDescription =
        "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request "
        + "the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration "
        + "definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";

    public static void Write(Utf8JsonWriter writer, ResourceKind kind, ListPage page, IncludeObject include, DateTimeOffset now)
    {
        writer.WriteStartObject();
        writer.WriteString("kind"u8, "Table");
        writer.WriteString("apiVersion"u8, "meta.k8s.io/v1");
        ListWriter.WriteListMeta(writer, page);
        WriteColumns(writer, kind);
        writer.WriteStartArray("rows"u8);
        foreach (var item in page.Items)
        {
            WriteRow(writer, item, include, now);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteColumns(Utf8JsonWriter writer, ResourceKind kind)
    {
        writer.WriteStartArray("columnDefinitions"u8);
        WriteColumn(writer, "Name", "string", "name", NameDescription);
        WriteColumn(writer, kind == ResourceKind.Namespaces ? "Status" : "State", "string", "",
            kind == ResourceKind.Namespaces ? "The status of the namespace" : "");
        WriteColumn(writer, "Age", "date", "", "CreationTimestamp is a timestamp representing the server time when this object was created.");
        writer.WriteEndArray();
    }

    private static void WriteColumn(Utf8JsonWriter writer, string name, string type, string format, string description)
    {
        writer.WriteStartObject();
        writer.WriteString("name"u8, name);
        writer.WriteString("type"u8, type);
        writer.WriteString("format"u8, format);
        writer.WriteString("description"u8, description);
        writer.WriteNumber("priority"u8, 0);
        writer.WriteEndObject();
    }

    private static void WriteRow(Utf8JsonWriter writer, StoredObject item, IncludeObject include, DateTimeOffset now)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("cells"u8);
        writer.WriteStringValue(item.Name);
        if (item.State is { } state)
        {
            writer.WriteStringValue(state);
        }
        else
        {
            writer.WriteNullValue(); // a JSONPath without a value, as the CRD table convertor gives it
        }

        writer.WriteStringValue(item.CreationTimestamp is { } created
            ? HumanDuration.Format(now - new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)))
            : "<unknown>");
        writer.WriteEndArray();
        switch (include)
        {
            case IncludeObject.Object:
                writer.WritePropertyName("object"u8);
                writer.WriteRawValue(item.Json, skipInputValidation: true);
                break;
            case IncludeObject.Metadata:
                writer.WriteStartObject("object"u8);
                writer.WriteString("kind"u8, "PartialObjectMetadata");
                writer.WriteString("apiVersion"u8, "meta.k8s.io/v1");
                writer.WritePropertyName("metadata"u8);
                writer.WriteRawValue(item.MetadataJson, skipInputValidation: true);
                writer.WriteEndObject();
                break;
        }

        writer.WriteEndObject();
    }
}
