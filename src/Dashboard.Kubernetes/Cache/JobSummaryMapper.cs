using System.Text.Json;
using Dashboard.Kubernetes.Query;
using Dashboard.Model.PyTorchJobs;
using k8s;

namespace Dashboard.Kubernetes.Cache;

/// <summary>The one place a job becomes a <see cref="JobSummary"/>.</summary>
public static class JobSummaryMapper
{
    public static JobSummary FromJson(JsonElement job, StringPool? pool = null)
    {
        var metadata = JobJson.GetObject(job, "metadata"u8);
        var ns = metadata is { } m1 ? JobJson.GetString(m1, "namespace"u8) ?? "" : "";
        var name = metadata is { } m2 ? JobJson.GetString(m2, "name"u8) ?? "" : "";
        var uid = metadata is { } m3 ? JobJson.GetString(m3, "uid"u8) ?? "" : "";
        var resourceVersion = metadata is { } m4 ? JobJson.GetString(m4, "resourceVersion"u8) ?? "" : "";
        var createdAt = metadata is { } m5 ? JobJson.GetTime(m5, "creationTimestamp"u8) : null;
        var labels = LabelSet.Empty;
        if (metadata is { } m6 && JobJson.GetObject(m6, "labels"u8) is { } labelObject)
        {
            labels = LabelSet.From(
                labelObject.EnumerateObject()
                    .Where(p => p.Value.ValueKind == JsonValueKind.String)
                    .Select(p => new KeyValuePair<string, string>(p.Name, p.Value.GetString()!)),
                pool);
        }

        var status = JobJson.GetObject(job, "status"u8);
        var (state, reason, message) = StateOf(job);
        var spec = JobJson.GetObject(job, "spec"u8);
        var specs = spec is { } sp ? JobJson.GetObject(sp, "pytorchReplicaSpecs"u8) : null;
        var statuses = status is { } st ? JobJson.GetObject(st, "replicaStatuses"u8) : null;

        return new JobSummary(
            Namespace: pool?.Intern(ns) ?? ns,
            Name: name,
            Uid: uid,
            ResourceVersion: resourceVersion,
            CreatedAt: createdAt,
            Labels: labels,
            State: state,
            StateReason: pool?.InternOrNull(reason) ?? reason,
            StateMessage: message,
            StartTime: status is { } s1 ? JobJson.GetTime(s1, "startTime"u8) : null,
            CompletionTime: status is { } s2 ? JobJson.GetTime(s2, "completionTime"u8) : null,
            Master: HasReplica(specs, statuses, ReplicaTypes.Master) ? JobJson.Replica(specs, statuses, ReplicaTypes.Master) : null,
            Worker: HasReplica(specs, statuses, ReplicaTypes.Worker) ? JobJson.Replica(specs, statuses, ReplicaTypes.Worker) : null,
            Image: pool?.InternOrNull(ImageOf(specs)) ?? ImageOf(specs),
            Elastic: spec is { } e && e.TryGetProperty("elasticPolicy"u8, out var elastic) && elastic.ValueKind == JsonValueKind.Object);
    }

    public static JobSummary FromJob(PyTorchJob job, StringPool? pool = null)
    {
        using var document = JsonDocument.Parse(KubernetesJson.Serialize(job));
        return FromJson(document.RootElement, pool);
    }

    // Most jobs show the same few counts (1 desired, 0 or 1 active ...): one shared instance each instead of one per job.
    private static readonly ReplicaSummary[] SharedSummaries = CreateSharedSummaries();

    private const int SharedLimit = 4;

    /// <summary>A replica summary; small counts come from a shared set of instances (records compare by value).</summary>
    public static ReplicaSummary Shared(int desired, int active, int succeeded, int failed) =>
        (uint)desired < SharedLimit && (uint)active < SharedLimit && (uint)succeeded < SharedLimit && (uint)failed < SharedLimit
            ? SharedSummaries[(((((desired * SharedLimit) + active) * SharedLimit) + succeeded) * SharedLimit) + failed]
            : new ReplicaSummary(desired, active, succeeded, failed);

    private static ReplicaSummary[] CreateSharedSummaries()
    {
        var result = new ReplicaSummary[SharedLimit * SharedLimit * SharedLimit * SharedLimit];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = new ReplicaSummary(i / (SharedLimit * SharedLimit * SharedLimit), i / (SharedLimit * SharedLimit) % SharedLimit, i / SharedLimit % SharedLimit, i % SharedLimit);
        }

        return result;
    }

    /// <summary>The state is the newest condition that holds (the operator appends the newest last).</summary>
    public static JobState ToState(string? conditionType) => conditionType switch
    {
        JobConditionTypes.Created => JobState.Created,
        JobConditionTypes.Running => JobState.Running,
        JobConditionTypes.Restarting => JobState.Restarting,
        JobConditionTypes.Succeeded => JobState.Succeeded,
        JobConditionTypes.Failed => JobState.Failed,
        JobConditionTypes.Suspended => JobState.Suspended,
        _ => JobState.Unknown,
    };

    private static (JobState State, string? Reason, string? Message) StateOf(JsonElement job)
    {
        if (JobJson.GetObject(job, "status"u8) is not { } status
            || !status.TryGetProperty("conditions"u8, out var conditions)
            || conditions.ValueKind != JsonValueKind.Array
            || conditions.GetArrayLength() == 0)
        {
            return (JobState.Unknown, null, null);
        }

        JsonElement? chosen = null;
        JsonElement? last = null;
        foreach (var condition in conditions.EnumerateArray())
        {
            if (condition.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            last = condition;
            if (JobJson.GetString(condition, "status"u8) == "True")
            {
                chosen = condition;
            }
        }

        if ((chosen ?? last) is not { } pick)
        {
            return (JobState.Unknown, null, null);
        }

        return (ToState(JobJson.GetString(pick, "type"u8)), JobJson.GetString(pick, "reason"u8), JobJson.GetString(pick, "message"u8));
    }

    private static bool HasReplica(JsonElement? specs, JsonElement? statuses, string type) =>
        (specs is { } s && s.TryGetProperty(type, out _)) || (statuses is { } st && st.TryGetProperty(type, out _));

    private static string? ImageOf(JsonElement? specs)
    {
        if (specs is not { } s)
        {
            return null;
        }

        foreach (var type in new[] { ReplicaTypes.Master, ReplicaTypes.Worker })
        {
            if (s.TryGetProperty(type, out var replica)
                && JobJson.GetObject(replica, "template"u8) is { } template
                && JobJson.GetObject(template, "spec"u8) is { } podSpec
                && podSpec.TryGetProperty("containers"u8, out var containers)
                && containers.ValueKind == JsonValueKind.Array)
            {
                foreach (var container in containers.EnumerateArray())
                {
                    if (JobJson.GetString(container, "image"u8) is { } image)
                    {
                        return image;
                    }
                }
            }
        }

        return null;
    }
}
