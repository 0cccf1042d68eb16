using System.Globalization;
using Dashboard.Model.PyTorchJobs;

namespace Dashboard.Emulator.Scenario;

/// <summary>Where a job stands in the operator's lifecycle, read from its conditions.</summary>
internal enum JobPhase
{
    /// <summary>Just created; the operator has not written a status yet.</summary>
    New,
    /// <summary>Created (or resumed), pods not running yet.</summary>
    Pending,
    Running,
    Restarting,
    Suspended,
    Succeeded,
    Failed,
}

/// <summary>The training-operator's (release 1.9) status transitions for a PyTorchJob: the same condition bookkeeping
/// (pkg/util/status.go setCondition/filterOutCondition), reasons, messages and replica counts, applied at a given time.</summary>
internal static class JobLifecycle
{
    private const string True = "True";
    private const string False = "False";

    public static JobPhase PhaseOf(PyTorchJob job)
    {
        var status = job.Status;
        if (IsTrue(status, JobConditionTypes.Failed)) return JobPhase.Failed;
        if (IsTrue(status, JobConditionTypes.Succeeded)) return JobPhase.Succeeded;
        if (IsTrue(status, JobConditionTypes.Suspended)) return JobPhase.Suspended;
        if (IsTrue(status, JobConditionTypes.Running)) return JobPhase.Running;
        if (IsTrue(status, JobConditionTypes.Restarting)) return JobPhase.Restarting;
        return Find(status, JobConditionTypes.Created) is null ? JobPhase.New : JobPhase.Pending;
    }

    public static bool IsFinished(JobPhase phase) => phase is JobPhase.Succeeded or JobPhase.Failed;

    public static int WorkerReplicas(PyTorchJob job) => Replicas(job, ReplicaTypes.Worker);

    public static int Replicas(PyTorchJob job, string replicaType) =>
        job.Spec?.PytorchReplicaSpecs is { } specs && specs.TryGetValue(replicaType, out var spec) ? spec.Replicas ?? 1 : 0;

    /// <summary>The operator's first reconcile: Created, startTime, empty replica statuses with their selectors;
    /// a job created suspended gets Suspended at once (and no startTime, as the operator returns before setting it).</summary>
    public static void MarkCreated(PyTorchJob job, DateTime now)
    {
        var status = job.Status ??= new JobStatus();
        SetCondition(status, JobConditionTypes.Created, True, JobConditionReasons.Created, $"PyTorchJob {job.Metadata.Name} is created.", now);
        status.ReplicaStatuses = EmptyReplicaStatuses(job);
        if (IsSuspendRequested(job))
        {
            SetCondition(status, JobConditionTypes.Suspended, True, JobConditionReasons.Suspended, SuspendedMessage(job), now);
        }
        else
        {
            status.StartTime = now;
        }

        status.LastReconcileTime = now;
    }

    public static void MarkRunning(PyTorchJob job, DateTime now)
    {
        var status = job.Status ??= new JobStatus();
        SetCondition(status, JobConditionTypes.Running, True, JobConditionReasons.Running, $"PyTorchJob {job.Metadata.Name} is running.", now);
        status.StartTime ??= now;
        status.ReplicaStatuses = EmptyReplicaStatuses(job);
        foreach (var (type, replicaStatus) in status.ReplicaStatuses)
        {
            replicaStatus.Active = Count(Replicas(job, type));
        }

        status.LastReconcileTime = now;
    }

    public static void MarkRestarting(PyTorchJob job, int failedWorkers, DateTime now)
    {
        var status = job.Status ??= new JobStatus();
        var workers = WorkerReplicas(job);
        failedWorkers = Math.Clamp(failedWorkers, 1, Math.Max(1, workers));
        SetCondition(status, JobConditionTypes.Restarting, True, JobConditionReasons.Restarting,
            $"PyTorchJob {job.Metadata.Name} is restarting because {failedWorkers} {ReplicaTypes.Worker} replica(s) failed.", now);
        status.ReplicaStatuses = EmptyReplicaStatuses(job);
        if (status.ReplicaStatuses.TryGetValue(ReplicaTypes.Master, out var master))
        {
            master.Active = Count(Replicas(job, ReplicaTypes.Master));
        }

        if (status.ReplicaStatuses.TryGetValue(ReplicaTypes.Worker, out var worker))
        {
            worker.Active = Count(workers - failedWorkers);
            worker.Failed = Count(failedWorkers);
        }

        status.LastReconcileTime = now;
    }

    /// <summary>Running → Succeeded: the operator moves every active replica to succeeded.</summary>
    public static void MarkSucceeded(PyTorchJob job, DateTime now)
    {
        var status = job.Status ??= new JobStatus();
        status.CompletionTime ??= now;
        SetCondition(status, JobConditionTypes.Succeeded, True, JobConditionReasons.Succeeded,
            $"PyTorchJob {job.Metadata.Name} is successfully completed.", now);
        status.ReplicaStatuses = EmptyReplicaStatuses(job);
        foreach (var (type, replicaStatus) in status.ReplicaStatuses)
        {
            replicaStatus.Succeeded = Count(Replicas(job, type));
        }

        status.LastReconcileTime = now;
    }

    public static void MarkFailed(PyTorchJob job, FailureKind kind, int failedReplicas, DateTime now)
    {
        var status = job.Status ??= new JobStatus();
        var name = job.Metadata.Name;
        var failedType = kind == FailureKind.MasterFailed ? ReplicaTypes.Master : ReplicaTypes.Worker;
        failedReplicas = Math.Clamp(failedReplicas, 1, Math.Max(1, Replicas(job, failedType)));
        var message = kind switch
        {
            FailureKind.BackoffLimit => $"Job {name} has failed because it has reached the specified backoff limit",
            FailureKind.Deadline => $"Job {name} has failed because it was active longer than specified deadline",
            _ => $"PyTorchJob {name} is failed because {failedReplicas} {failedType} replica(s) failed.",
        };
        status.CompletionTime ??= now;
        SetCondition(status, JobConditionTypes.Failed, True, JobConditionReasons.Failed, message, now);

        // The pods are gone or terminated: nothing active; the failed replicas are counted unless the deadline killed them.
        status.ReplicaStatuses = EmptyReplicaStatuses(job);
        if (kind != FailureKind.Deadline && status.ReplicaStatuses.TryGetValue(failedType, out var failed))
        {
            failed.Failed = Count(failedReplicas);
        }

        status.LastReconcileTime = now;
    }

    /// <summary>spec.runPolicy.suspend = true and the operator's answer: pods deleted, Running False, Suspended True.</summary>
    public static void Suspend(PyTorchJob job, DateTime now)
    {
        var runPolicy = (job.Spec ??= new PyTorchJobSpec()).RunPolicy ??= new RunPolicy();
        runPolicy.Suspend = true;
        var status = job.Status ??= new JobStatus();
        var message = SuspendedMessage(job);
        if (IsTrue(status, JobConditionTypes.Running))
        {
            SetCondition(status, JobConditionTypes.Running, False, JobConditionReasons.Suspended, message, now);
        }

        SetCondition(status, JobConditionTypes.Suspended, True, JobConditionReasons.Suspended, message, now);
        status.ReplicaStatuses = EmptyReplicaStatuses(job);
        status.LastReconcileTime = now;
    }

    /// <summary>spec.runPolicy.suspend = false and the operator's answer: Suspended False (PyTorchJobResumed), startTime reset.</summary>
    public static void Resume(PyTorchJob job, DateTime now)
    {
        var runPolicy = (job.Spec ??= new PyTorchJobSpec()).RunPolicy ??= new RunPolicy();
        runPolicy.Suspend = false;
        var status = job.Status ??= new JobStatus();
        SetCondition(status, JobConditionTypes.Suspended, False, JobConditionReasons.Resumed, $"PyTorchJob {job.Metadata.Name} is resumed.", now);
        status.StartTime = now;
        status.ReplicaStatuses = EmptyReplicaStatuses(job);
        status.LastReconcileTime = now;
    }

    /// <summary>The operator's pod selector of one replica type, as labels.Set.String() prints it (keys sorted).</summary>
    public static string Selector(string jobName, string replicaType) =>
        string.Create(CultureInfo.InvariantCulture,
            $"training.kubeflow.org/job-name={jobName},training.kubeflow.org/operator-name=pytorchjob-controller,training.kubeflow.org/replica-type={replicaType.ToLowerInvariant()}");

    public static JobCondition? Find(JobStatus? status, string type) =>
        status?.Conditions?.FirstOrDefault(c => c.Type == type);

    public static bool IsTrue(JobStatus? status, string type) =>
        status?.Conditions?.Any(c => c.Type == type && c.Status == True) == true;

    private static bool IsSuspendRequested(PyTorchJob job) => job.Spec?.RunPolicy?.Suspend == true;

    private static string SuspendedMessage(PyTorchJob job) => $"PyTorchJob {job.Metadata.Name} is suspended.";

    /// <summary>The Go API omits zero counts (omitempty).</summary>
    private static int? Count(int value) => value > 0 ? value : null;

    private static Dictionary<string, ReplicaStatus> EmptyReplicaStatuses(PyTorchJob job)
    {
        var result = new Dictionary<string, ReplicaStatus>(StringComparer.Ordinal);
        foreach (var type in new[] { ReplicaTypes.Master, ReplicaTypes.Worker })
        {
            if (job.Spec?.PytorchReplicaSpecs?.ContainsKey(type) == true)
            {
                result[type] = new ReplicaStatus { Selector = Selector(job.Metadata.Name, type) };
            }
        }

        return result;
    }

    /// <summary>Port of setCondition: nothing changes after Failed; an unchanged status and reason is a no-op; the
    /// transition time survives a same-status update; the new entry replaces its type and is appended.</summary>
    private static void SetCondition(JobStatus status, string type, string conditionStatus, string reason, string message, DateTime now)
    {
        if (IsTrue(status, JobConditionTypes.Failed))
        {
            return;
        }

        var current = Find(status, type);
        if (current is not null && current.Status == conditionStatus && current.Reason == reason)
        {
            return;
        }

        var condition = new JobCondition
        {
            Type = type,
            Status = conditionStatus,
            Reason = reason,
            Message = message,
            LastUpdateTime = now,
            LastTransitionTime = current is not null && current.Status == conditionStatus ? current.LastTransitionTime : now,
        };

        var kept = new List<JobCondition>();
        foreach (var existing in status.Conditions ?? [])
        {
            // Running and Restarting replace each other.
            if ((type == JobConditionTypes.Restarting && existing.Type == JobConditionTypes.Running) ||
                (type == JobConditionTypes.Running && existing.Type == JobConditionTypes.Restarting) ||
                existing.Type == type)
            {
                continue;
            }

            if ((type == JobConditionTypes.Failed || type == JobConditionTypes.Succeeded) && existing.Type == JobConditionTypes.Running)
            {
                existing.Status = False;
            }

            kept.Add(existing);
        }

        kept.Add(condition);
        status.Conditions = kept;
    }
}

internal enum FailureKind
{
    MasterFailed,
    WorkerFailed,
    BackoffLimit,
    Deadline,
}
