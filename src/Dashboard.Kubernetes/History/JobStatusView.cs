using System.Text.Json;
using Dashboard.Kubernetes.Cache;
using Dashboard.Kubernetes.Query;
using Dashboard.Model.PyTorchJobs;

namespace Dashboard.Kubernetes.History;

/// <summary>The parts of a job's status that the observed history compares between two versions.</summary>
public sealed record JobStatusView(
    IReadOnlyList<JobCondition> Conditions,
    IReadOnlyList<KeyValuePair<string, ReplicaSummary>> Replicas)
{
    public static JobStatusView Empty { get; } = new([], []);

    public static JobStatusView From(JsonElement job, StringPool? pool = null) =>
        new(JobJson.Conditions(job), JobJson.Replicas(job, pool));

    public static JobStatusView From(ReadOnlyMemory<byte> json, StringPool? pool = null)
    {
        using var document = JsonDocument.Parse(json);
        return From(document.RootElement, pool);
    }
}
