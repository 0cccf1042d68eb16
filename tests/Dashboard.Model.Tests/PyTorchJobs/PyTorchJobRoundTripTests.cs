using System.Text.Json.Nodes;
using Dashboard.Model.PyTorchJobs;
using k8s;
using k8s.Models;

namespace Dashboard.Model.Tests.PyTorchJobs;

public sealed class PyTorchJobRoundTripTests
{
    [Fact]
    public void Reference_example_list_round_trips()
    {
        var input = TestData.Read("pytorchjob-list-example.json");

        var list = KubernetesJson.Deserialize<PyTorchJobList>(input);
        var output = KubernetesJson.Serialize(list);

        // Equivalent modulo the quantity form: "cpu": 2 comes back as the string "2" (see JsonEquivalence).
        JsonEquivalence.AssertEquivalent(input, output);

        var job = Assert.Single(list.Items);
        Assert.Equal("pytorch-test", job.Metadata.Name);
        Assert.Equal("kube-test", job.Metadata.NamespaceProperty);
        Assert.Equal("72517974", list.Metadata.ResourceVersion);
        var master = job.Spec!.PytorchReplicaSpecs![ReplicaTypes.Master];
        var cpu = master.Template!.Spec.Containers[0].Resources.Limits["cpu"];
        Assert.Equal(2m, cpu.ToDecimal());
        Assert.Equal(RestartPolicies.Never, master.RestartPolicy);
        Assert.Equal(RestartPolicies.OnFailure, job.Spec.PytorchReplicaSpecs[ReplicaTypes.Worker].RestartPolicy);
        var condition = Assert.Single(job.Status!.Conditions!);
        Assert.Equal(JobConditionTypes.Created, condition.Type);
        Assert.Equal(new DateTime(2019, 7, 24, 10, 30, 34, DateTimeKind.Utc), condition.LastTransitionTime!.Value.ToUniversalTime());
        // "Master": {} — present, with nothing set.
        var masterStatus = job.Status.ReplicaStatuses![ReplicaTypes.Master];
        Assert.Null(masterStatus.Active);
        Assert.Null(masterStatus.Selector);
    }

    [Fact]
    public void Bare_number_quantities_are_written_back_as_quantity_strings()
    {
        var output = JsonNode.Parse(KubernetesJson.Serialize(KubernetesJson.Deserialize<PyTorchJobList>(TestData.Read("pytorchjob-list-example.json"))))!;
        var limits = output["items"]![0]!["spec"]!["pytorchReplicaSpecs"]!["Master"]!["template"]!["spec"]!["containers"]![0]!["resources"]!["limits"]!;
        // The serializer's representation: the canonical quantity string, equal in amount to the bare number read.
        Assert.Equal("2", limits["cpu"]!.GetValue<string>());
        Assert.Equal("4Gi", limits["memory"]!.GetValue<string>());
    }

    [Fact]
    public void Every_spec_and_status_field_survives_a_round_trip()
    {
        var input = TestData.Read("pytorchjob-full.json");

        var job = KubernetesJson.Deserialize<PyTorchJob>(input);
        var output = KubernetesJson.Serialize(job);

        JsonEquivalence.AssertEquivalent(input, output);
        // A second trip is byte-for-byte stable.
        Assert.Equal(output, KubernetesJson.Serialize(KubernetesJson.Deserialize<PyTorchJob>(output)));
    }

    [Fact]
    public void Every_spec_and_status_field_is_read_into_the_model()
    {
        var job = KubernetesJson.Deserialize<PyTorchJob>(TestData.Read("pytorchjob-full.json"));
        var spec = job.Spec!;

        var run = spec.RunPolicy!;
        Assert.Equal("Running", run.CleanPodPolicy);
        Assert.Equal(3600, run.TtlSecondsAfterFinished);
        Assert.Equal(86400L, run.ActiveDeadlineSeconds);
        Assert.Equal(4, run.BackoffLimit);
        Assert.False(run.Suspend);
        Assert.Equal("kubeflow.org/training-operator", run.ManagedBy);
        var scheduling = run.SchedulingPolicy!;
        Assert.Equal(3, scheduling.MinAvailable);
        Assert.Equal("research-queue", scheduling.Queue);
        Assert.Equal("high-priority", scheduling.PriorityClass);
        Assert.Equal(600, scheduling.ScheduleTimeoutSeconds);
        Assert.Equal(4m, scheduling.MinResources!["cpu"].ToDecimal());
        Assert.Equal(2m, scheduling.MinResources["nvidia.com/gpu"].ToDecimal());
        Assert.Equal(16m * 1024 * 1024 * 1024, scheduling.MinResources["memory"].ToDecimal());

        var elastic = spec.ElasticPolicy!;
        Assert.Equal(1, elastic.MinReplicas);
        Assert.Equal(4, elastic.MaxReplicas);
        Assert.Equal("c10d", elastic.RdzvBackend);
        Assert.Equal(29400, elastic.RdzvPort);
        Assert.Equal("elastic-resnet-master-0", elastic.RdzvHost);
        Assert.Equal("elastic-resnet", elastic.RdzvId);
        Assert.Equal(["join_timeout=600", "last_call_timeout=30"], elastic.RdzvConf!.Select(c => $"{c.Key}={c.Value}"));
        Assert.False(elastic.Standalone);
        Assert.Equal(2, elastic.NProcPerNode);
        Assert.Equal(10, elastic.MaxRestarts);
        Assert.Equal(["Resource", "Pods"], elastic.Metrics!.Select(m => m.Type));
        Assert.Equal(80, elastic.Metrics![0].Resource.Target.AverageUtilization);
        Assert.Equal(1000m, elastic.Metrics![1].Pods.Target.AverageValue.ToDecimal());
        Assert.Equal("auto", spec.NprocPerNode);

        var master = spec.PytorchReplicaSpecs![ReplicaTypes.Master];
        Assert.Equal(1, master.Replicas);
        Assert.Equal(RestartPolicies.ExitCode, master.RestartPolicy);
        var container = master.Template!.Spec.Containers[0];
        Assert.Equal(23456, container.Ports[0].ContainerPort);
        Assert.Equal(1.5m, container.Resources.Requests["cpu"].ToDecimal());
        Assert.Equal(3, spec.PytorchReplicaSpecs[ReplicaTypes.Worker].Replicas);

        var status = job.Status!;
        Assert.Equal([JobConditionTypes.Created, JobConditionTypes.Running, JobConditionTypes.Succeeded], status.Conditions!.Select(c => c.Type));
        Assert.Equal("False", status.Conditions![1].Status);
        Assert.Equal(new DateTime(2025, 3, 1, 8, 0, 5, DateTimeKind.Utc), status.StartTime!.Value.ToUniversalTime());
        Assert.Equal(new DateTime(2025, 3, 1, 9, 0, 0, DateTimeKind.Utc), status.CompletionTime!.Value.ToUniversalTime());
        Assert.Equal(new DateTime(2025, 3, 1, 9, 0, 0, DateTimeKind.Utc), status.LastReconcileTime!.Value.ToUniversalTime());
        var worker = status.ReplicaStatuses![ReplicaTypes.Worker];
        Assert.Equal((1, 2, 1), (worker.Active, worker.Succeeded, worker.Failed));
        Assert.Equal("training.kubeflow.org/job-name=elastic-resnet,training.kubeflow.org/replica-type=worker", worker.Selector);
        Assert.Equal("In", worker.LabelSelector!.MatchExpressions[0].OperatorProperty);
        Assert.Equal("elastic-resnet", status.ReplicaStatuses[ReplicaTypes.Master].LabelSelector!.MatchLabels["training.kubeflow.org/job-name"]);
    }

    [Fact]
    public void Replica_status_selector_parses_as_a_label_selector_matching_the_operators_pod_labels()
    {
        var job = KubernetesJson.Deserialize<PyTorchJob>(TestData.Read("pytorchjob-full.json"));
        var selector = Dashboard.Model.Selectors.LabelSelector.Parse(job.Status!.ReplicaStatuses![ReplicaTypes.Master].Selector);
        var podLabels = new Dictionary<string, string>
        {
            ["training.kubeflow.org/operator-name"] = "pytorchjob-controller",
            ["training.kubeflow.org/job-name"] = "elastic-resnet",
            ["training.kubeflow.org/replica-type"] = "master",
            ["training.kubeflow.org/replica-index"] = "0",
            ["training.kubeflow.org/job-role"] = "master",
        };
        Assert.True(selector.Matches(podLabels));
        podLabels["training.kubeflow.org/replica-type"] = "worker";
        Assert.False(selector.Matches(podLabels));
    }

    [Fact]
    public void Bare_fractional_quantities_keep_their_amount()
    {
        var job = KubernetesJson.Deserialize<PyTorchJob>("""{"spec":{"runPolicy":{"schedulingPolicy":{"minResources":{"cpu":0.5}}}}}""");
        var cpu = job.Spec!.RunPolicy!.SchedulingPolicy!.MinResources!["cpu"];
        Assert.Equal(0.5m, cpu.ToDecimal());
        // Written in canonical form, which is equivalent but not the same text.
        var written = JsonNode.Parse(KubernetesJson.Serialize(job))!["spec"]!["runPolicy"]!["schedulingPolicy"]!["minResources"]!["cpu"]!;
        Assert.Equal(0.5m, new ResourceQuantity(written.GetValue<string>()).ToDecimal());
    }

    [Fact]
    public void The_equivalence_check_notices_lost_changed_and_added_fields()
    {
        // Guards the guard: a comparer that always says "equal" would make the round-trip tests useless.
        var original = JsonNode.Parse("""{"a":1,"b":{"c":"x","cpu":2},"d":[1,2]}""");
        Assert.Empty(JsonEquivalence.Differences(original, JsonNode.Parse("""{"d":[1,2],"b":{"cpu":2,"c":"x"},"a":1.0}""")));
        Assert.Equal(["$.b.c: missing after the round trip"], JsonEquivalence.Differences(original, JsonNode.Parse("""{"a":1,"b":{"cpu":2},"d":[1,2]}""")));
        Assert.Equal(["$.b.cpu: 2 became \"3\""], JsonEquivalence.Differences(original, JsonNode.Parse("""{"a":1,"b":{"c":"x","cpu":"3"},"d":[1,2]}""")));
        Assert.Equal(["$.e: added by the round trip"], JsonEquivalence.Differences(original, JsonNode.Parse("""{"a":1,"b":{"c":"x","cpu":2},"d":[1,2],"e":null}""")));
        Assert.Equal(["$.d[1]: 2 became 3"], JsonEquivalence.Differences(original, JsonNode.Parse("""{"a":1,"b":{"c":"x","cpu":2},"d":[1,3]}""")));
        // The number/string allowance holds only where quantities live.
        Assert.Equal(["$.a: 1 became \"1\""], JsonEquivalence.Differences(JsonNode.Parse("""{"a":1}"""), JsonNode.Parse("""{"a":"1"}""")));
        Assert.Empty(JsonEquivalence.Differences(JsonNode.Parse("""{"limits":{"cpu":1}}"""), JsonNode.Parse("""{"limits":{"cpu":"1"}}""")));
    }
}
