using Dashboard.Model.PyTorchJobs;
using k8s.Models;

namespace Dashboard.Kubernetes.Tests.Infrastructure;

public static class Jobs
{
    public static PyTorchJob Create(string @namespace, string name, IDictionary<string, string>? labels = null, int workers = 1) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = @namespace, Labels = labels ?? new Dictionary<string, string> { ["app"] = "test" } },
        Spec = new PyTorchJobSpec
        {
            PytorchReplicaSpecs = new Dictionary<string, ReplicaSpec>
            {
                [ReplicaTypes.Master] = new() { Replicas = 1, RestartPolicy = RestartPolicies.OnFailure, Template = Template() },
                [ReplicaTypes.Worker] = new() { Replicas = workers, RestartPolicy = RestartPolicies.OnFailure, Template = Template() },
            },
        },
    };

    private static V1PodTemplateSpec Template() => new()
    {
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "pytorch", Image = "example/pytorch:1" }] },
    };

    public static JobCondition Condition(string type, string status, DateTime at, string? message = null) => new()
    {
        Type = type,
        Status = status,
        Reason = "PyTorchJob" + type,
        Message = message ?? $"PyTorchJob is {type}.",
        LastUpdateTime = at,
        LastTransitionTime = at,
    };
}
