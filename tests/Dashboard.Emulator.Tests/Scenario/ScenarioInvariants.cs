using System.Text.RegularExpressions;
using Dashboard.Model.PyTorchJobs;

namespace Dashboard.Emulator.Tests.Scenario;

/// <summary>What must hold for every scenario job at every moment, from the training-operator's rules (PYTORCHJOB.md).
/// Returns the violations as text so a failing test says exactly what is wrong with which job.</summary>
internal static partial class ScenarioInvariants
{
    private static readonly Dictionary<string, string> ReasonWhenTrue = new()
    {
        [JobConditionTypes.Created] = JobConditionReasons.Created,
        [JobConditionTypes.Running] = JobConditionReasons.Running,
        [JobConditionTypes.Restarting] = JobConditionReasons.Restarting,
        [JobConditionTypes.Succeeded] = JobConditionReasons.Succeeded,
        [JobConditionTypes.Failed] = JobConditionReasons.Failed,
        [JobConditionTypes.Suspended] = JobConditionReasons.Suspended,
    };

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123Label();

    public static IEnumerable<string> Violations(PyTorchJob job, DateTime now)
    {
        var name = job.Metadata.Name ?? "";
        var id = $"{job.Metadata.NamespaceProperty}/{name}";
        if (!Dns1123Label().IsMatch(name) || name.Length > 63) yield return $"{id}: name is not a DNS-1123 label";

        var specs = job.Spec?.PytorchReplicaSpecs;
        if (specs is null || !specs.TryGetValue(ReplicaTypes.Master, out var master) || master.Replicas != 1)
        {
            yield return $"{id}: Master replicas must be 1";
            yield break;
        }

        if (!specs.TryGetValue(ReplicaTypes.Worker, out var worker) || worker.Replicas is not (>= 1 and <= 16))
        {
            yield return $"{id}: Worker replicas must be 1..16";
            yield break;
        }

        var workers = worker.Replicas.Value;
        foreach (var (type, spec) in specs)
        {
            var container = spec.Template?.Spec?.Containers?.FirstOrDefault();
            if (container?.Name != "pytorch" || string.IsNullOrEmpty(container.Image)) yield return $"{id}: {type} needs a container 'pytorch' with an image";
            if (container?.Ports?.Any(p => p.Name == "pytorchjob-port" && p.ContainerPort == 23456) != true) yield return $"{id}: {type} lacks pytorchjob-port 23456";
        }

        if (job.Spec!.ElasticPolicy is { } elastic && (elastic.MinReplicas > workers || elastic.MaxReplicas < workers || elastic.MaxReplicas > 16 || elastic.RdzvBackend != "c10d"))
        {
            yield return $"{id}: elastic policy does not fit {workers} workers";
        }

        var status = job.Status;
        if (status is null)
        {
            yield break; // Just created; the operator has not answered yet.
        }

        var conditions = status.Conditions ?? [];
        if (conditions.Count == 0 || conditions[0].Type != JobConditionTypes.Created) yield return $"{id}: Created must come first";
        if (conditions.GroupBy(c => c.Type).Any(g => g.Count() > 1)) yield return $"{id}: more than one condition of a type";
        if (Has(status, JobConditionTypes.Running) && Has(status, JobConditionTypes.Restarting)) yield return $"{id}: Running and Restarting together";

        foreach (var c in conditions)
        {
            if (c.Status is not ("True" or "False")) yield return $"{id}: {c.Type} status {c.Status}";
            var expectedReason = c.Status == "True" ? ReasonWhenTrue[c.Type]
                : c.Type == JobConditionTypes.Suspended ? JobConditionReasons.Resumed
                : c.Type == JobConditionTypes.Running ? (c.Reason == JobConditionReasons.Suspended ? JobConditionReasons.Suspended : JobConditionReasons.Running)
                : null;
            if (c.Reason != expectedReason) yield return $"{id}: {c.Type}={c.Status} has reason {c.Reason}";
            if (c.Message?.Contains(name, StringComparison.Ordinal) != true) yield return $"{id}: {c.Type} message lacks the job name";
            if (c.LastTransitionTime is not { } transition || c.LastUpdateTime is not { } update || transition > update || update > now)
            {
                yield return $"{id}: {c.Type} times out of order";
            }
            else if (update.Ticks % TimeSpan.TicksPerSecond != 0 || update.Kind != DateTimeKind.Utc)
            {
                yield return $"{id}: {c.Type} time is not whole UTC seconds";
            }
        }

        var succeeded = IsTrue(status, JobConditionTypes.Succeeded);
        var failed = IsTrue(status, JobConditionTypes.Failed);
        if (succeeded && failed) yield return $"{id}: both Succeeded and Failed";
        if ((succeeded || failed) && (IsTrue(status, JobConditionTypes.Running) || status.CompletionTime is null)) yield return $"{id}: finished but Running or without completionTime";
        if (!succeeded && !failed && status.CompletionTime is not null) yield return $"{id}: completionTime before finishing";

        var suspended = IsTrue(status, JobConditionTypes.Suspended);
        if (suspended != (job.Spec.RunPolicy?.Suspend == true)) yield return $"{id}: Suspended condition disagrees with spec.runPolicy.suspend";
        if (!suspended && Has(status, JobConditionTypes.Running) && status.StartTime is null) yield return $"{id}: ran without startTime";

        foreach (var problem in CountViolations(id, name, status, workers, succeeded, failed, suspended))
        {
            yield return problem;
        }
    }

    private static IEnumerable<string> CountViolations(string id, string name, JobStatus status, int workers, bool succeeded, bool failed, bool suspended)
    {
        var replicaStatuses = status.ReplicaStatuses ?? new Dictionary<string, ReplicaStatus>();
        if (!replicaStatuses.TryGetValue(ReplicaTypes.Master, out var m) || !replicaStatuses.TryGetValue(ReplicaTypes.Worker, out var w))
        {
            yield return $"{id}: replicaStatuses lacks Master or Worker";
            yield break;
        }

        foreach (var (type, rs) in replicaStatuses)
        {
            var expectedSelector = $"training.kubeflow.org/job-name={name},training.kubeflow.org/operator-name=pytorchjob-controller,training.kubeflow.org/replica-type={type.ToLowerInvariant()}";
            if (rs.Selector != expectedSelector) yield return $"{id}: {type} selector {rs.Selector}";
            if (rs.Active == 0 || rs.Succeeded == 0 || rs.Failed == 0) yield return $"{id}: {type} zero count not omitted";
            var replicas = type == ReplicaTypes.Master ? 1 : workers;
            if ((rs.Active ?? 0) + (rs.Succeeded ?? 0) + (rs.Failed ?? 0) > replicas) yield return $"{id}: {type} counts exceed replicas";
        }

        int Active(ReplicaStatus rs) => rs.Active ?? 0;
        if (succeeded)
        {
            if (m.Succeeded != 1 || w.Succeeded != workers || Active(m) + Active(w) != 0) yield return $"{id}: Succeeded counts wrong";
        }
        else if (failed || suspended || !Has(status, JobConditionTypes.Running) && !Has(status, JobConditionTypes.Restarting))
        {
            if (Active(m) + Active(w) != 0) yield return $"{id}: active replicas while not running";
            if (failed && (m.Failed ?? 0) + (w.Failed ?? 0) == 0 && status.Conditions?.Last().Message?.Contains("deadline", StringComparison.Ordinal) != true)
            {
                yield return $"{id}: Failed without failed replicas";
            }
        }
        else if (IsTrue(status, JobConditionTypes.Restarting))
        {
            if (Active(m) != 1 || (w.Failed ?? 0) < 1 || Active(w) + (w.Failed ?? 0) != workers) yield return $"{id}: Restarting counts wrong";
        }
        else if (IsTrue(status, JobConditionTypes.Running))
        {
            if (Active(m) != 1 || Active(w) != workers || (w.Failed ?? 0) != 0) yield return $"{id}: Running counts wrong";
        }
        else if (Active(m) + Active(w) != 0)
        {
            yield return $"{id}: active replicas while not running";
        }
    }

    public static bool IsTrue(JobStatus? status, string type) => status?.Conditions?.Any(c => c.Type == type && c.Status == "True") == true;

    private static bool Has(JobStatus status, string type) => status.Conditions?.Any(c => c.Type == type) == true;
}
