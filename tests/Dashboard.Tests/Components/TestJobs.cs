using Dashboard.Kubernetes.Query;
using Dashboard.Model.PyTorchJobs;

namespace Dashboard.Tests.Components;

/// <summary>Jobs for component tests: hand-made summaries, and the example job of the API page's response.</summary>
public static class TestJobs
{
    public static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    public static JobSummary Summary(
        string name,
        string @namespace = "team-a",
        JobState state = JobState.Running,
        IReadOnlyDictionary<string, string>? labels = null,
        string resourceVersion = "1",
        TimeSpan? age = null,
        string? image = "registry.local/trainer:v1",
        string? message = null,
        int masterActive = 1,
        int workerActive = 2,
        int workerFailed = 0) =>
        new(
            @namespace,
            name,
            Uid: "uid-" + name,
            ResourceVersion: resourceVersion,
            CreatedAt: Now - (age ?? TimeSpan.FromMinutes(10)),
            Labels: labels ?? new Dictionary<string, string>(),
            State: state,
            StateReason: "PyTorchJob" + state,
            StateMessage: message ?? $"PyTorchJob {name} is {state.ToString().ToLowerInvariant()}.",
            StartTime: Now - (age ?? TimeSpan.FromMinutes(10)) + TimeSpan.FromSeconds(30),
            CompletionTime: state is JobState.Succeeded or JobState.Failed ? Now - TimeSpan.FromMinutes(1) : null,
            Master: new ReplicaSummary(1, masterActive, 0, 0),
            Worker: new ReplicaSummary(2, workerActive, 0, workerFailed),
            Image: image,
            Elastic: false);

    public static Dictionary<string, string> Labels(params string[] pairs) =>
        pairs.Select(p => p.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);

    /// <summary>`pytorch-test` in `kube-test`, exactly as in the API page's example list response.</summary>
    public static PyTorchJob ExampleJob() => Dashboard.Emulator.Scenario.ExampleJob.Create();

    public static JobSummary ExampleSummary() => new(
        "kube-test",
        "pytorch-test",
        "f4c79668-adfd-11e9-8041-340a9837e2a7",
        "72516798",
        new DateTimeOffset(2019, 7, 24, 10, 29, 45, TimeSpan.Zero),
        new Dictionary<string, string>(),
        JobState.Created,
        "PyTorchJobCreated",
        "PyTorchJob pytorch-test is created.",
        new DateTimeOffset(2019, 7, 24, 10, 30, 34, TimeSpan.Zero),
        null,
        new ReplicaSummary(1, 0, 0, 0),
        new ReplicaSummary(1, 0, 0, 0),
        "*.*.*.215:20202/gcs/pytorch-cpu:v1",
        false);

    public static JobDetail ExampleDetail(bool deleted = false) => new(ExampleJob(), ExampleSummary(), [], deleted);
}
