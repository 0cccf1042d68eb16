using System.Globalization;
using System.Text.Json;
using Dashboard.Emulator.Store;

namespace Dashboard.Emulator.Serialization;

/// <summary>Writes a list page by concatenating the stored JSON of its items: nothing is re-serialized per request.</summary>
internal static class ListWriter
{
    public static void Write(Utf8JsonWriter writer, ResourceKind kind, ListPage page)
    {
        writer.WriteStartObject();
        writer.WriteString("apiVersion"u8, kind.ApiVersion);
        writer.WriteString("kind"u8, kind.ListKind);
        WriteListMeta(writer, page);
        writer.WriteStartArray("items"u8);
        foreach (var item in page.Items)
        {
            writer.WriteRawValue(item.Json, skipInputValidation: true);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static void WriteListMeta(Utf8JsonWriter writer, ListPage page)
    {
        writer.WriteStartObject("metadata"u8);
        if (page.Continue is not null)
        {
            writer.WriteString("continue"u8, page.Continue);
        }

        if (page.RemainingItemCount is { } remaining)
        {
            writer.WriteNumber("remainingItemCount"u8, remaining);
        }

        writer.WriteString("resourceVersion"u8, page.ResourceVersion.ToString(CultureInfo.InvariantCulture));
        writer.WriteEndObject();
    }
}
