using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Dashboard.Kubernetes.Query;
using Dashboard.Model.PyTorchJobs;

namespace Dashboard.Kubernetes.Cache;

/// <summary>
/// One forward pass over a job's UTF-8 JSON that yields what the cache keeps: the summary (the same rules as
/// <see cref="JobSummaryMapper.FromJson"/>, where the last of duplicate keys wins) and the job's bytes without
/// metadata.managedFields, sliced from the source (no JsonDocument, no re-serialization, no strings the summary
/// does not keep). Works on a reader over a whole list page, so a page is tokenized once.
/// </summary>
/// <remarks>
/// Its methods are compiled fully optimized at once (<see cref="MethodImplOptions.AggressiveOptimization"/>):
/// the first list of a process is read while the app is still starting, and the runtime defers tiering up while it
/// keeps compiling new code, so the parser ran unoptimized or instrumented code for whole syncs (seen in profiles
/// of the benchmark's first syncs, and of later ones when each sync starts a new host).
/// </remarks>
public static class JobJsonReader
{
    // Compared as UTF-8 (the string overload of ValueTextEquals transcodes on every call).
    private static readonly byte[] MasterUtf8 = Encoding.UTF8.GetBytes(ReplicaTypes.Master);
    private static readonly byte[] WorkerUtf8 = Encoding.UTF8.GetBytes(ReplicaTypes.Worker);

    /// <summary>Reads one job from a standalone JSON object.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (JobSummary Summary, byte[] Json) Read(ReadOnlySpan<byte> json, StringPool? pool = null)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A job is not a JSON object.");
        }

        return Read(ref reader, json, pool);
    }

    /// <summary>
    /// Reads the job whose StartObject <paramref name="reader"/> is on; <paramref name="source"/> is the whole
    /// buffer the reader reads. Leaves the reader on the job's EndObject.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (JobSummary Summary, byte[] Json) Read(ref Utf8JsonReader reader, ReadOnlySpan<byte> source, StringPool? pool)
    {
        var start = (int)reader.TokenStartIndex;
        var fields = new Fields();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("metadata"u8))
            {
                reader.Read();
                fields.Metadata = default;
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ReadMetadata(ref reader, source, ref fields.Metadata, pool);
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("spec"u8))
            {
                reader.Read();
                fields.Spec = default;
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ReadSpec(ref reader, ref fields.Spec, pool);
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("status"u8))
            {
                reader.Read();
                fields.Status = default;
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ReadStatus(ref reader, ref fields.Status);
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Skip();
            }
        }

        var end = (int)reader.BytesConsumed;
        var job = source[start..end];
        var metadata = fields.Metadata;
        var bytes = metadata.HasManagedFields
            ? WithoutManagedFields(job, metadata.Start - start, metadata.End - start)
            : CopyOf(job);
        return (Summary(ref fields, source, pool), bytes);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static JobSummary Summary(ref Fields fields, ReadOnlySpan<byte> source, StringPool? pool)
    {
        var metadata = fields.Metadata;
        var spec = fields.Spec;
        var status = fields.Status;
        var (state, reason, message) = StateOf(status, source, pool);
        var specs = spec.SpecsIsObject;
        var statuses = status.StatusesIsObject;
        var image = spec.Master.Image ?? spec.Worker.Image;
        return new JobSummary(
            Namespace: metadata.Namespace ?? "",
            Name: metadata.Name ?? "",
            Uid: metadata.Uid ?? "",
            ResourceVersion: metadata.ResourceVersion ?? "",
            CreatedAt: metadata.CreatedAt,
            Labels: metadata.Labels ?? LabelSet.Empty,
            State: state,
            StateReason: reason,
            StateMessage: message,
            StartTime: status.StartTime,
            CompletionTime: status.CompletionTime,
            Master: Replica(specs, spec.Master, statuses, status.Master),
            Worker: Replica(specs, spec.Worker, statuses, status.Worker),
            Image: image,
            Elastic: spec.Elastic);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ReplicaSummary? Replica(bool specsIsObject, ReplicaSpecFields spec, bool statusesIsObject, ReplicaStatusFields status)
    {
        var inSpec = specsIsObject && spec.Present;
        var inStatus = statusesIsObject && status.Present;
        if (!inSpec && !inStatus)
        {
            return null;
        }

        // The operator defaults replicas to 1.
        var desired = inSpec && spec.IsObject ? spec.Replicas ?? 1 : 0;
        return inStatus && status.IsObject
            ? JobSummaryMapper.Shared(desired, status.Active, status.Succeeded, status.Failed)
            : JobSummaryMapper.Shared(desired, 0, 0, 0);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (JobState State, string? Reason, string? Message) StateOf(StatusFields status, ReadOnlySpan<byte> source, StringPool? pool)
    {
        var (start, end) = status.ChosenCondition.End > 0 ? status.ChosenCondition : status.LastCondition;
        if (end == 0)
        {
            return (JobState.Unknown, null, null);
        }

        // Only the condition that decides the state is read into strings.
        var reader = new Utf8JsonReader(source[start..end]);
        reader.Read();
        string? type = null;
        string? reason = null;
        string? message = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                type = ReadSharedString(ref reader, pool);
            }
            else if (reader.ValueTextEquals("reason"u8))
            {
                reason = ReadSharedString(ref reader, pool);
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                message = ReadString(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }

        return (JobSummaryMapper.ToState(type), reason, message);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReadMetadata(ref Utf8JsonReader reader, ReadOnlySpan<byte> source, ref MetadataFields metadata, StringPool? pool)
    {
        metadata.Start = (int)reader.TokenStartIndex;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                metadata.Name = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("namespace"u8))
            {
                metadata.Namespace = ReadSharedString(ref reader, pool);
            }
            else if (reader.ValueTextEquals("uid"u8))
            {
                metadata.Uid = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("resourceVersion"u8))
            {
                metadata.ResourceVersion = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("creationTimestamp"u8))
            {
                metadata.CreatedAt = ReadTime(ref reader);
            }
            else if (reader.ValueTextEquals("labels"u8))
            {
                metadata.Labels = ReadLabels(ref reader, source, pool);
            }
            else if (reader.ValueTextEquals("managedFields"u8))
            {
                metadata.HasManagedFields = true;
                reader.Skip();
            }
            else
            {
                reader.Skip();
            }
        }

        metadata.End = (int)reader.BytesConsumed;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static LabelSet? ReadLabels(ref Utf8JsonReader reader, ReadOnlySpan<byte> source, StringPool? pool)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        if (pool is null)
        {
            return BuildLabels(ref reader, null);
        }

        // Jobs repeat their label sets: the set is looked up by the labels object's exact text (one hash of its
        // bytes), and only text not seen before is read key by key (from the same bytes).
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        var text = source[start..(int)reader.BytesConsumed];
        if (pool.TryGetLabelSet(text, out var shared))
        {
            return shared;
        }

        var labelsReader = new Utf8JsonReader(text);
        labelsReader.Read();
        var labels = BuildLabels(ref labelsReader, pool);
        pool.AddLabelSet(text, labels);
        return labels;
    }

    /// <summary>The label set of the object whose StartObject the reader is on (string values only).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static LabelSet BuildLabels(ref Utf8JsonReader reader, StringPool? pool)
    {
        var builder = new LabelSet.Builder(pool);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = Shared(ref reader, pool);
            reader.Read();
            if (reader.TokenType == JsonTokenType.String)
            {
                builder.AddShared(key, Shared(ref reader, pool));
            }
            else
            {
                reader.Skip();
            }
        }

        return builder.Build();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReadSpec(ref Utf8JsonReader reader, ref SpecFields spec, StringPool? pool)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("pytorchReplicaSpecs"u8))
            {
                reader.Read();
                spec.SpecsIsObject = reader.TokenType == JsonTokenType.StartObject;
                spec.Master = default;
                spec.Worker = default;
                if (!spec.SpecsIsObject)
                {
                    reader.Skip();
                    continue;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals(MasterUtf8))
                    {
                        ReadReplicaSpec(ref reader, ref spec.Master, pool);
                    }
                    else if (reader.ValueTextEquals(WorkerUtf8))
                    {
                        ReadReplicaSpec(ref reader, ref spec.Worker, pool);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
            else if (reader.ValueTextEquals("elasticPolicy"u8))
            {
                reader.Read();
                spec.Elastic = reader.TokenType == JsonTokenType.StartObject;
                reader.Skip();
            }
            else
            {
                reader.Skip();
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReadReplicaSpec(ref Utf8JsonReader reader, ref ReplicaSpecFields replica, StringPool? pool)
    {
        replica = new ReplicaSpecFields { Present = true };
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        replica.IsObject = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("replicas"u8))
            {
                replica.Replicas = ReadInt(ref reader);
            }
            else if (reader.ValueTextEquals("template"u8))
            {
                // template.spec.containers[*].image: the first container that names one.
                replica.Image = null;
                if (!EnterObject(ref reader))
                {
                    continue;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (!reader.ValueTextEquals("spec"u8))
                    {
                        reader.Skip();
                        continue;
                    }

                    replica.Image = null;
                    if (!EnterObject(ref reader))
                    {
                        continue;
                    }

                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        if (reader.ValueTextEquals("containers"u8))
                        {
                            replica.Image = ReadFirstImage(ref reader, pool);
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }
                }
            }
            else
            {
                reader.Skip();
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string? ReadFirstImage(ref Utf8JsonReader reader, StringPool? pool)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return null;
        }

        string? first = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject || first is not null)
            {
                reader.Skip();
                continue;
            }

            string? image = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("image"u8))
                {
                    image = ReadSharedString(ref reader, pool);
                }
                else
                {
                    reader.Skip();
                }
            }

            first = image;
        }

        return first;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReadStatus(ref Utf8JsonReader reader, ref StatusFields status)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("conditions"u8))
            {
                ReadConditions(ref reader, ref status);
            }
            else if (reader.ValueTextEquals("startTime"u8))
            {
                status.StartTime = ReadTime(ref reader);
            }
            else if (reader.ValueTextEquals("completionTime"u8))
            {
                status.CompletionTime = ReadTime(ref reader);
            }
            else if (reader.ValueTextEquals("replicaStatuses"u8))
            {
                reader.Read();
                status.StatusesIsObject = reader.TokenType == JsonTokenType.StartObject;
                status.Master = default;
                status.Worker = default;
                if (!status.StatusesIsObject)
                {
                    reader.Skip();
                    continue;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals(MasterUtf8))
                    {
                        ReadReplicaStatus(ref reader, ref status.Master);
                    }
                    else if (reader.ValueTextEquals(WorkerUtf8))
                    {
                        ReadReplicaStatus(ref reader, ref status.Worker);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
            else
            {
                reader.Skip();
            }
        }
    }

    /// <summary>Remembers where the deciding conditions are: the last that holds, and the last of all.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReadConditions(ref Utf8JsonReader reader, ref StatusFields status)
    {
        status.ChosenCondition = default;
        status.LastCondition = default;
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            var start = (int)reader.TokenStartIndex;
            var holds = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("status"u8))
                {
                    reader.Read();
                    holds = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("True"u8);
                    reader.Skip();
                }
                else
                {
                    reader.Skip();
                }
            }

            var range = (start, (int)reader.BytesConsumed);
            status.LastCondition = range;
            if (holds)
            {
                status.ChosenCondition = range;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReadReplicaStatus(ref Utf8JsonReader reader, ref ReplicaStatusFields replica)
    {
        replica = new ReplicaStatusFields { Present = true };
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        replica.IsObject = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("active"u8))
            {
                replica.Active = ReadInt(ref reader) ?? 0;
            }
            else if (reader.ValueTextEquals("succeeded"u8))
            {
                replica.Succeeded = ReadInt(ref reader) ?? 0;
            }
            else if (reader.ValueTextEquals("failed"u8))
            {
                replica.Failed = ReadInt(ref reader) ?? 0;
            }
            else
            {
                reader.Skip();
            }
        }
    }

    /// <summary>Moves onto the value of the current property; true when it is an object (else it is skipped).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool EnterObject(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            return true;
        }

        reader.Skip();
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string? ReadString(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }

    /// <summary>Like <see cref="ReadString"/>, through the pool (no allocation for a string it already holds).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string? ReadSharedString(ref Utf8JsonReader reader, StringPool? pool)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return Shared(ref reader, pool);
        }

        reader.Skip();
        return null;
    }

    /// <summary>The current string or property-name token as the pool's shared string.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string Shared(ref Utf8JsonReader reader, StringPool? pool)
    {
        if (pool is null)
        {
            return reader.GetString()!;
        }

        return reader.ValueIsEscaped || reader.HasValueSequence ? pool.Intern(reader.GetString()!) : pool.Intern(reader.ValueSpan);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int? ReadInt(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.TryGetInt32(out var number) ? number : null;
        }

        reader.Skip();
        return null;
    }

    /// <summary>As <see cref="JobJson.GetTime"/>: RFC 3339 in UTC straight from the bytes, anything else through the lenient parser.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static DateTimeOffset? ReadTime(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return null;
        }

        if (!reader.ValueIsEscaped && !reader.HasValueSequence && reader.ValueSpan is [.., (byte)'Z']
            && reader.TryGetDateTimeOffset(out var utc))
        {
            return utc;
        }

        return DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : null;
    }

    /// <summary>
    /// An exact-size copy for the cache, an ordinary array. (Not the pinned-object heap: each allocation there takes
    /// the runtime's slow path and their volume starts full collections; reading the example-sized jobs was
    /// 1.8-2× slower that way than with young arrays that a collection may copy once or twice.)
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static byte[] CopyOf(ReadOnlySpan<byte> json) => json.ToArray();

    /// <summary>The job's bytes with the metadata object rebuilt from its other properties' raw text.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static byte[] WithoutManagedFields(ReadOnlySpan<byte> job, int metadataStart, int metadataEnd)
    {
        var metadata = job[metadataStart..metadataEnd];
        var kept = new List<(int Start, int End)>();
        var reader = new Utf8JsonReader(metadata);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var start = (int)reader.TokenStartIndex;
            var managed = reader.ValueTextEquals("managedFields"u8);
            reader.Skip();
            if (!managed)
            {
                kept.Add((start, (int)reader.BytesConsumed));
            }
        }

        var length = metadataStart + (job.Length - metadataEnd) + 2 + Math.Max(0, kept.Count - 1);
        foreach (var (start, end) in kept)
        {
            length += end - start;
        }

        var result = new byte[length];
        var output = result.AsSpan();
        job[..metadataStart].CopyTo(output);
        output = output[metadataStart..];
        output[0] = (byte)'{';
        output = output[1..];
        for (var i = 0; i < kept.Count; i++)
        {
            if (i > 0)
            {
                output[0] = (byte)',';
                output = output[1..];
            }

            var property = metadata[kept[i].Start..kept[i].End];
            property.CopyTo(output);
            output = output[property.Length..];
        }

        output[0] = (byte)'}';
        job[metadataEnd..].CopyTo(output[1..]);
        return result;
    }

    private struct Fields
    {
        public MetadataFields Metadata;
        public SpecFields Spec;
        public StatusFields Status;
    }

    private struct MetadataFields
    {
        public int Start;
        public int End;
        public string? Name;
        public string? Namespace;
        public string? Uid;
        public string? ResourceVersion;
        public DateTimeOffset? CreatedAt;
        public LabelSet? Labels;
        public bool HasManagedFields;
    }

    private struct SpecFields
    {
        public bool SpecsIsObject;
        public ReplicaSpecFields Master;
        public ReplicaSpecFields Worker;
        public bool Elastic;
    }

    private struct ReplicaSpecFields
    {
        public bool Present;
        public bool IsObject;
        public int? Replicas;
        public string? Image;
    }

    private struct StatusFields
    {
        public (int Start, int End) ChosenCondition;
        public (int Start, int End) LastCondition;
        public DateTimeOffset? StartTime;
        public DateTimeOffset? CompletionTime;
        public bool StatusesIsObject;
        public ReplicaStatusFields Master;
        public ReplicaStatusFields Worker;
    }

    private struct ReplicaStatusFields
    {
        public bool Present;
        public bool IsObject;
        public int Active;
        public int Succeeded;
        public int Failed;
    }
}
