using System.Text.Json;
using k8s.Models;

namespace Dashboard.Emulator.Serialization;

/// <summary>Writes a Status body in the API server's field order (KubernetesClient's converter only reads Status).</summary>
internal static class StatusWriter
{
    public static void Write(Utf8JsonWriter writer, V1Status status)
    {
        writer.WriteStartObject();
        writer.WriteString("kind"u8, "Status");
        writer.WriteString("apiVersion"u8, "v1");
        writer.WriteStartObject("metadata"u8);
        if (status.Metadata?.ContinueProperty is { } token)
        {
            writer.WriteString("continue"u8, token);
        }

        writer.WriteEndObject();
        writer.WriteString("status"u8, status.Status ?? "Failure");
        WriteIfSet(writer, "message", status.Message);
        WriteIfSet(writer, "reason", status.Reason);
        if (status.Details is { } details)
        {
            WriteDetails(writer, details);
        }

        writer.WriteNumber("code"u8, status.Code ?? 500);
        writer.WriteEndObject();
    }

    private static void WriteDetails(Utf8JsonWriter writer, V1StatusDetails details)
    {
        writer.WriteStartObject("details"u8);
        WriteIfSet(writer, "name", details.Name);
        WriteIfSet(writer, "group", details.Group);
        WriteIfSet(writer, "kind", details.Kind);
        WriteIfSet(writer, "uid", details.Uid);
        if (details.Causes is { Count: > 0 } causes)
        {
            writer.WriteStartArray("causes"u8);
            foreach (var cause in causes)
            {
                writer.WriteStartObject();
                WriteIfSet(writer, "reason", cause.Reason);
                WriteIfSet(writer, "message", cause.Message);
                WriteIfSet(writer, "field", cause.Field);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        // omitempty, as the API server writes it.
        if (details.RetryAfterSeconds is > 0 and var retry)
        {
            writer.WriteNumber("retryAfterSeconds"u8, retry);
        }

        writer.WriteEndObject();
    }

    private static void WriteIfSet(Utf8JsonWriter writer, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            writer.WriteString(name, value);
        }
    }
}
