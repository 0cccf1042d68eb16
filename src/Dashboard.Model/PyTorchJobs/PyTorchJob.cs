using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Dashboard.Model.PyTorchJobs;

/// <summary>A Kubeflow training-operator PyTorchJob (kubeflow.org/v1), as served by the API.</summary>
public sealed class PyTorchJob : IKubernetesObject<V1ObjectMeta>, IMetadata<V1ObjectMeta>
{
    public const string KubeGroup = "kubeflow.org";
    public const string KubeVersion = "v1";
    public const string KubeKind = "PyTorchJob";
    public const string KubeListKind = "PyTorchJobList";
    public const string KubePlural = "pytorchjobs";
    public const string KubeSingular = "pytorchjob";
    public const string KubeApiVersion = KubeGroup + "/" + KubeVersion;

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = KubeApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KubeKind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public PyTorchJobSpec? Spec { get; set; }

    [JsonPropertyName("status")]
    public JobStatus? Status { get; set; }
}

/// <summary>A page of a PyTorchJob list.</summary>
public sealed class PyTorchJobList : IKubernetesObject<V1ListMeta>, IItems<PyTorchJob>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = PyTorchJob.KubeApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = PyTorchJob.KubeListKind;

    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public IList<PyTorchJob> Items { get; set; } = new List<PyTorchJob>();
}

public sealed class PyTorchJobSpec
{
    [JsonPropertyName("runPolicy")]
    public RunPolicy? RunPolicy { get; set; }

    [JsonPropertyName("elasticPolicy")]
    public ElasticPolicy? ElasticPolicy { get; set; }

    /// <summary>Keyed by replica type: <see cref="ReplicaTypes.Master"/> and <see cref="ReplicaTypes.Worker"/>.</summary>
    [JsonPropertyName("pytorchReplicaSpecs")]
    public IDictionary<string, ReplicaSpec>? PytorchReplicaSpecs { get; set; }

    /// <summary>Processes per node: "auto", "cpu", "gpu" or a number, as a string.</summary>
    [JsonPropertyName("nprocPerNode")]
    public string? NprocPerNode { get; set; }
}

public static class ReplicaTypes
{
    public const string Master = "Master";
    public const string Worker = "Worker";
}

public static class RestartPolicies
{
    public const string Always = "Always";
    public const string OnFailure = "OnFailure";
    public const string Never = "Never";
    public const string ExitCode = "ExitCode";
}

public sealed class ReplicaSpec
{
    [JsonPropertyName("replicas")]
    public int? Replicas { get; set; }

    [JsonPropertyName("template")]
    public V1PodTemplateSpec? Template { get; set; }

    [JsonPropertyName("restartPolicy")]
    public string? RestartPolicy { get; set; }
}

public sealed class RunPolicy
{
    /// <summary>All | Running | None.</summary>
    [JsonPropertyName("cleanPodPolicy")]
    public string? CleanPodPolicy { get; set; }

    [JsonPropertyName("ttlSecondsAfterFinished")]
    public int? TtlSecondsAfterFinished { get; set; }

    [JsonPropertyName("activeDeadlineSeconds")]
    public long? ActiveDeadlineSeconds { get; set; }

    [JsonPropertyName("backoffLimit")]
    public int? BackoffLimit { get; set; }

    [JsonPropertyName("schedulingPolicy")]
    public SchedulingPolicy? SchedulingPolicy { get; set; }

    [JsonPropertyName("suspend")]
    public bool? Suspend { get; set; }

    [JsonPropertyName("managedBy")]
    public string? ManagedBy { get; set; }
}

public sealed class SchedulingPolicy
{
    [JsonPropertyName("minAvailable")]
    public int? MinAvailable { get; set; }

    [JsonPropertyName("queue")]
    public string? Queue { get; set; }

    [JsonPropertyName("minResources")]
    public IDictionary<string, ResourceQuantity>? MinResources { get; set; }

    [JsonPropertyName("priorityClass")]
    public string? PriorityClass { get; set; }

    [JsonPropertyName("scheduleTimeoutSeconds")]
    public int? ScheduleTimeoutSeconds { get; set; }
}

public sealed class ElasticPolicy
{
    [JsonPropertyName("minReplicas")]
    public int? MinReplicas { get; set; }

    [JsonPropertyName("maxReplicas")]
    public int? MaxReplicas { get; set; }

    /// <summary>c10d | etcd | etcd-v2.</summary>
    [JsonPropertyName("rdzvBackend")]
    public string? RdzvBackend { get; set; }

    [JsonPropertyName("rdzvPort")]
    public int? RdzvPort { get; set; }

    [JsonPropertyName("rdzvHost")]
    public string? RdzvHost { get; set; }

    [JsonPropertyName("rdzvId")]
    public string? RdzvId { get; set; }

    [JsonPropertyName("rdzvConf")]
    public IList<RdzvConf>? RdzvConf { get; set; }

    [JsonPropertyName("standalone")]
    public bool? Standalone { get; set; }

    /// <summary>Deprecated in favour of <see cref="PyTorchJobSpec.NprocPerNode"/>.</summary>
    [JsonPropertyName("nProcPerNode")]
    public int? NProcPerNode { get; set; }

    [JsonPropertyName("maxRestarts")]
    public int? MaxRestarts { get; set; }

    [JsonPropertyName("metrics")]
    public IList<V2MetricSpec>? Metrics { get; set; }
}

public sealed class RdzvConf
{
    [JsonPropertyName("key")]
    public string? Key { get; set; }

    [JsonPropertyName("value")]
    public string? Value { get; set; }
}

public sealed class JobStatus
{
    [JsonPropertyName("conditions")]
    public IList<JobCondition>? Conditions { get; set; }

    [JsonPropertyName("replicaStatuses")]
    public IDictionary<string, ReplicaStatus>? ReplicaStatuses { get; set; }

    [JsonPropertyName("startTime")]
    public DateTime? StartTime { get; set; }

    [JsonPropertyName("completionTime")]
    public DateTime? CompletionTime { get; set; }

    [JsonPropertyName("lastReconcileTime")]
    public DateTime? LastReconcileTime { get; set; }
}

public sealed class JobCondition
{
    /// <summary>One of <see cref="JobConditionTypes"/>.</summary>
    [JsonPropertyName("type")]
    public string Type { get; set; } = "";

    /// <summary>"True", "False" or "Unknown".</summary>
    [JsonPropertyName("status")]
    public string Status { get; set; } = "";

    [JsonPropertyName("reason")]
    public string? Reason { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }

    [JsonPropertyName("lastUpdateTime")]
    public DateTime? LastUpdateTime { get; set; }

    [JsonPropertyName("lastTransitionTime")]
    public DateTime? LastTransitionTime { get; set; }
}

public static class JobConditionTypes
{
    public const string Created = "Created";
    public const string Running = "Running";
    public const string Restarting = "Restarting";
    public const string Succeeded = "Succeeded";
    public const string Suspended = "Suspended";
    public const string Failed = "Failed";
}

/// <summary>The operator's condition reasons for PyTorchJobs.</summary>
public static class JobConditionReasons
{
    public const string Created = "PyTorchJobCreated";
    public const string Running = "PyTorchJobRunning";
    public const string Restarting = "PyTorchJobRestarting";
    public const string Succeeded = "PyTorchJobSucceeded";
    public const string Failed = "PyTorchJobFailed";
    public const string Suspended = "PyTorchJobSuspended";
    public const string Resumed = "PyTorchJobResumed";
}

public sealed class ReplicaStatus
{
    [JsonPropertyName("active")]
    public int? Active { get; set; }

    [JsonPropertyName("succeeded")]
    public int? Succeeded { get; set; }

    [JsonPropertyName("failed")]
    public int? Failed { get; set; }

    /// <summary>The label selector of the replica's pods, as a string.</summary>
    [JsonPropertyName("selector")]
    public string? Selector { get; set; }

    /// <summary>Deprecated: use <see cref="Selector"/>.</summary>
    [JsonPropertyName("labelSelector")]
    public V1LabelSelector? LabelSelector { get; set; }
}
