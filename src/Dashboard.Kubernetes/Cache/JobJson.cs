using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Dashboard.Kubernetes.Query;
using Dashboard.Model.PyTorchJobs;

namespace Dashboard.Kubernetes.Cache;

/// <summary>Reads what the cache needs straight from a job's JSON, without building the typed object.</summary>
public static class JobJson
{
    /// <summary>The job's UTF-8 JSON without metadata.managedFields (large, and nothing here reads it).</summary>
    public static byte[] CompactBytes(JsonElement job)
    {
        if (!job.TryGetProperty("metadata"u8, out var metadata)
            || metadata.ValueKind != JsonValueKind.Object
            || !metadata.TryGetProperty("managedFields"u8, out _))
        {
            return JsonMarshal.GetRawUtf8Value(job).ToArray();
        }

        var buffer = new ArrayBufferWriter<byte>(JsonMarshal.GetRawUtf8Value(job).Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in job.EnumerateObject())
            {
                if (property.NameEquals("metadata"u8))
                {
                    writer.WritePropertyName("metadata"u8);
                    writer.WriteStartObject();
                    foreach (var field in property.Value.EnumerateObject())
                    {
                        if (!field.NameEquals("managedFields"u8))
                        {
                            field.WriteTo(writer);
                        }
                    }

                    writer.WriteEndObject();
                }
                else
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static string? GetString(JsonElement element, ReadOnlySpan<byte> name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public static JsonElement? GetObject(JsonElement element, ReadOnlySpan<byte> name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? value
            : null;

    public static int? GetInt(JsonElement element, ReadOnlySpan<byte> name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : null;

    public static DateTimeOffset? GetTime(JsonElement element, ReadOnlySpan<byte> name) =>
        GetString(element, name) is { } text
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : null;

    /// <summary>The conditions of status.conditions, in order.</summary>
    public static IReadOnlyList<JobCondition> Conditions(JsonElement job)
    {
        if (GetObject(job, "status"u8) is not { } status
            || !status.TryGetProperty("conditions"u8, out var conditions)
            || conditions.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var result = new List<JobCondition>(conditions.GetArrayLength());
        foreach (var condition in conditions.EnumerateArray())
        {
            if (condition.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            result.Add(new JobCondition
            {
                Type = GetString(condition, "type"u8) ?? "",
                Status = GetString(condition, "status"u8) ?? "",
                Reason = GetString(condition, "reason"u8),
                Message = GetString(condition, "message"u8),
                LastUpdateTime = GetTime(condition, "lastUpdateTime"u8)?.UtcDateTime,
                LastTransitionTime = GetTime(condition, "lastTransitionTime"u8)?.UtcDateTime,
            });
        }

        return result;
    }

    /// <summary>Desired and observed counts of every replica type in spec or status, ordered by type.</summary>
    public static IReadOnlyList<KeyValuePair<string, ReplicaSummary>> Replicas(JsonElement job, StringPool? pool = null)
    {
        var specs = GetObject(job, "spec"u8) is { } spec ? GetObject(spec, "pytorchReplicaSpecs"u8) : null;
        var statuses = GetObject(job, "status"u8) is { } status ? GetObject(status, "replicaStatuses"u8) : null;
        if (specs is null && statuses is null)
        {
            return [];
        }

        var types = new SortedSet<string>(StringComparer.Ordinal);
        if (specs is { } s)
        {
            foreach (var property in s.EnumerateObject())
            {
                types.Add(property.Name);
            }
        }

        if (statuses is { } st)
        {
            foreach (var property in st.EnumerateObject())
            {
                types.Add(property.Name);
            }
        }

        var result = new List<KeyValuePair<string, ReplicaSummary>>(types.Count);
        foreach (var type in types)
        {
            result.Add(new(pool?.Intern(type) ?? type, Replica(specs, statuses, type)));
        }

        return result;
    }

    internal static ReplicaSummary Replica(JsonElement? specs, JsonElement? statuses, string type)
    {
        var desired = 0;
        if (specs is { } s && s.TryGetProperty(type, out var replicaSpec) && replicaSpec.ValueKind == JsonValueKind.Object)
        {
            // The operator defaults replicas to 1.
            desired = GetInt(replicaSpec, "replicas"u8) ?? 1;
        }

        if (statuses is { } st && st.TryGetProperty(type, out var replicaStatus) && replicaStatus.ValueKind == JsonValueKind.Object)
        {
            return JobSummaryMapper.Shared(
                desired,
                GetInt(replicaStatus, "active"u8) ?? 0,
                GetInt(replicaStatus, "succeeded"u8) ?? 0,
                GetInt(replicaStatus, "failed"u8) ?? 0);
        }

        return JobSummaryMapper.Shared(desired, 0, 0, 0);
    }
}
