using Dashboard.Model.PyTorchJobs;
using k8s;
using k8s.Models;

namespace Dashboard.Emulator.Tests.Infrastructure;

/// <summary>Starts a quiet emulator (no scenario activity, no seeded jobs unless asked) and builds clients for it.</summary>
internal static class TestEmulator
{
    public static Task<EmulatorHost> StartAsync(Func<EmulatorOptions, EmulatorOptions>? configure = null)
    {
        var options = new EmulatorOptions { Jobs = 0, EventsPerSecond = 0, IncludeExampleJob = false, Namespaces = ["team-a", "team-b"] };
        return EmulatorHost.StartAsync(configure is null ? options : configure(options));
    }

    public static Kubernetes Client(EmulatorHost emulator, string? token = null) =>
        new(new KubernetesClientConfiguration { Host = emulator.BaseAddress.ToString(), DisableHttp2 = true, AccessToken = token });

    public static HttpClient Http(EmulatorHost emulator) => new() { BaseAddress = emulator.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public static PyTorchJob Job(string name, string @namespace = "team-a", IDictionary<string, string>? labels = null, int workers = 1) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = @namespace, Labels = labels },
        Spec = new PyTorchJobSpec
        {
            PytorchReplicaSpecs = new Dictionary<string, ReplicaSpec>
            {
                [ReplicaTypes.Master] = Replica(1),
                [ReplicaTypes.Worker] = Replica(workers),
            },
        },
    };

    /// <summary>Creates jobs directly in the store (fast; same effects as the API).</summary>
    public static void Seed(EmulatorHost emulator, int count, string @namespace = "team-a", Func<int, IDictionary<string, string>?>? labels = null)
    {
        for (var i = 0; i < count; i++)
        {
            emulator.Store.Create(Job($"job-{i:D5}", @namespace, labels?.Invoke(i)));
        }
    }

    private static ReplicaSpec Replica(int replicas) => new()
    {
        Replicas = replicas,
        RestartPolicy = RestartPolicies.OnFailure,
        Template = new V1PodTemplateSpec
        {
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "pytorch", Image = "pytorch/pytorch:2.3" }] },
        },
    };
}
