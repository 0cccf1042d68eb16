using Bunit;
using Dashboard.Components.Controls;
using Dashboard.Components.Pages;
using Dashboard.Kubernetes.Query;
using Dashboard.Model;
using Dashboard.Model.PyTorchJobs;
using k8s.Models;

namespace Dashboard.Tests.Components;

public sealed class JobDetailsTests : DashboardTestContext
{
    private IRenderedComponent<JobDetails> RenderExample()
    {
        Queries.Details["kube-test/pytorch-test"] = TestJobs.ExampleDetail();
        return Render<JobDetails>(ps => ps.Add(p => p.Namespace, "kube-test").Add(p => p.Name, "pytorch-test"));
    }

    [Fact]
    public void The_example_jobs_master_and_worker_panels_show_what_they_run()
    {
        var cut = RenderExample();

        foreach (var (type, policy) in new[] { ("Master", "Never"), ("Worker", "OnFailure") })
        {
            var panel = cut.Find($"[data-testid=replica-panel-{type}]");
            Assert.Equal("1", panel.QuerySelector("[data-testid=replica-count]")!.TextContent);
            Assert.Equal(policy, panel.QuerySelector("[data-testid=restart-policy]")!.TextContent);
            Assert.Equal("*.*.*.215:20202/gcs/pytorch-cpu:v1", panel.QuerySelector("[data-testid=container-image]")!.TextContent);
            Assert.Equal("python /var/mnist.py", panel.QuerySelector("[data-testid=container-command]")!.TextContent);
            Assert.Equal("--backend gloo", panel.QuerySelector("[data-testid=container-args]")!.TextContent);
            Assert.Equal("2", panel.QuerySelector("[data-resource=cpu] [data-testid=resource-request]")!.TextContent);
            Assert.Equal("2", panel.QuerySelector("[data-resource=cpu] [data-testid=resource-limit]")!.TextContent);
            Assert.Equal("4Gi", panel.QuerySelector("[data-resource=memory] [data-testid=resource-request]")!.TextContent);
            Assert.Equal("4Gi", panel.QuerySelector("[data-resource=memory] [data-testid=resource-limit]")!.TextContent);
            Assert.Equal("imagepull-secret", panel.QuerySelector("[data-testid=image-pull-secrets]")!.TextContent);
        }

        Assert.Equal("Created", cut.Find("[data-testid=state-chip]").TextContent);

        // The example reports Master counts only: Worker's are unknown, not zero.
        Assert.Equal("0", cut.Find("[data-testid=replica-panel-Master] [data-testid=status-active]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=replica-panel-Worker] [data-testid=status-active]"));
        Assert.Equal("not reported by the operator yet", cut.Find("[data-testid=replica-panel-Worker] [data-testid=status-not-reported]").TextContent);
    }

    [Fact]
    public void Header_shows_labels_annotations_and_the_yaml()
    {
        var detail = TestJobs.ExampleDetail();
        detail.Job.Metadata.Labels = new Dictionary<string, string> { ["team"] = "vision" };
        detail.Job.Metadata.Annotations = new Dictionary<string, string> { ["owner"] = "alice@example.com" };
        Queries.Details["kube-test/pytorch-test"] = detail with { Summary = detail.Summary with { Labels = detail.Job.Metadata.Labels.AsReadOnly() } };

        var cut = Render<JobDetails>(ps => ps.Add(p => p.Namespace, "kube-test").Add(p => p.Name, "pytorch-test"));

        Assert.Equal("/jobs?namespace=kube-test&labelSelector=team%3Dvision", cut.Find("[data-testid=detail-labels] a").GetAttribute("href"));
        Assert.Contains("alice@example.com", cut.Find("[data-testid=detail-annotations]").TextContent, StringComparison.Ordinal);
        var yaml = cut.Find("[data-testid=yaml-text]").TextContent;
        Assert.Contains("pytorchReplicaSpecs:", yaml, StringComparison.Ordinal);
        Assert.Contains("restartPolicy: OnFailure", yaml, StringComparison.Ordinal);
        Assert.Contains("/var/mnist.py", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Yaml_copy_and_download_go_through_the_small_js_helpers()
    {
        var cut = RenderExample();

        cut.Find("[data-testid=yaml-copy] ").Click();
        cut.Find("[data-testid=yaml-download]").Click();

        Assert.Contains(JSInterop.Invocations, i => i.Identifier == "dashboard.copyText" && ((string)i.Arguments[0]!).Contains("pytorch-test", StringComparison.Ordinal));
        Assert.Contains(JSInterop.Invocations, i => i.Identifier == "dashboard.downloadText" && (string)i.Arguments[0]! == "kube-test-pytorch-test.yaml");
    }

    [Fact]
    public void Updates_refresh_the_page_live()
    {
        var cut = RenderExample();

        var job = TestJobs.ExampleJob();
        job.Status!.Conditions!.Add(new JobCondition { Type = "Running", Status = "True", Reason = "PyTorchJobRunning", Message = "Job is running.", LastTransitionTime = new DateTime(2019, 7, 24, 10, 31, 0, DateTimeKind.Utc) });
        job.Status.ReplicaStatuses!["Master"] = new ReplicaStatus { Active = 1 };
        var summary = TestJobs.ExampleSummary() with { State = JobState.Running };
        Queries.PublishDetail(new JobDetailUpdate(new JobDetail(job, summary, [], false), Queries.Sync));

        cut.WaitForAssertion(() => Assert.Equal("Running", cut.Find("[data-testid=state-chip]").TextContent), WaitTimeout);
        Assert.Equal("1", cut.Find("[data-testid=replica-panel-Master] [data-testid=status-active]").TextContent);
        Assert.Equal(["Created", "Running"], cut.FindAll("[data-testid=condition-step]").Select(s => s.GetAttribute("data-type")));
    }

    [Fact]
    public void A_job_deleted_while_open_is_marked_and_keeps_its_last_state()
    {
        var cut = RenderExample();
        Assert.Empty(cut.FindAll("[data-testid=deleted-marker]"));

        Queries.PublishDetail(new JobDetailUpdate(TestJobs.ExampleDetail(deleted: true), Queries.Sync));

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=deleted-marker]")), WaitTimeout);
        Assert.Equal("true", cut.Find("[data-testid=job-detail]").GetAttribute("data-deleted"));
        Assert.NotNull(cut.Find("[data-testid=replica-panel-Master]"));
    }

    [Fact]
    public void A_job_that_vanishes_is_marked_deleted_too()
    {
        var cut = RenderExample();

        Queries.PublishDetail(new JobDetailUpdate(null, Queries.Sync));

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=deleted-marker]")), WaitTimeout);
        Assert.NotNull(cut.Find("[data-testid=replica-panel-Worker]"));
    }

    [Fact]
    public void An_unknown_job_says_so_and_shows_up_when_it_appears()
    {
        var cut = Render<JobDetails>(ps => ps.Add(p => p.Namespace, "kube-test").Add(p => p.Name, "pytorch-test"));
        Assert.Contains("No PyTorchJob named pytorch-test", cut.Find("[data-testid=detail-missing]").TextContent, StringComparison.Ordinal);

        Queries.PublishDetail(new JobDetailUpdate(TestJobs.ExampleDetail(), Queries.Sync));

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=replica-panel-Master]")), WaitTimeout);
    }

    [Fact]
    public async Task Disposing_releases_the_detail_subscription()
    {
        var cut = RenderExample();

        await cut.Instance.DisposeAsync();

        Assert.True(Queries.DetailSubscriptions.Single().Released);
    }
}

public sealed class ReplicaPanelTests : DashboardTestContext
{
    [Fact]
    public void Env_from_secrets_and_config_maps_shows_the_reference_never_a_value()
    {
        var container = new V1Container
        {
            Name = "trainer",
            Image = "trainer:v2",
            Env =
            [
                new V1EnvVar { Name = "WANDB_API_KEY", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "team-a-wandb", Key = "api-key" } } },
                new V1EnvVar { Name = "SETTINGS", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "trainer-config", Key = "settings.json" } } },
                new V1EnvVar { Name = "POD_IP", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "status.podIP" } } },
                new V1EnvVar { Name = "EPOCHS", Value = "10" },
            ],
            EnvFrom = [new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = "team-a-s3" } }],
        };
        var replica = ReplicaView.From("Worker", new ReplicaSpec { Replicas = 2, Template = new V1PodTemplateSpec { Spec = new V1PodSpec { Containers = [container] } } }, null);

        var cut = Render<ReplicaPanel>(ps => ps.Add(p => p.Replica, replica));

        Assert.Equal("from secret team-a-wandb / key api-key", cut.Find("[data-name=WANDB_API_KEY] [data-testid=env-reference]").TextContent);
        Assert.Equal("from config map trainer-config / key settings.json", cut.Find("[data-name=SETTINGS] [data-testid=env-reference]").TextContent);
        Assert.Equal("from field status.podIP", cut.Find("[data-name=POD_IP] [data-testid=env-reference]").TextContent);
        Assert.Equal("10", cut.Find("[data-name=EPOCHS] [data-testid=env-value]").TextContent);
        Assert.Equal("all keys of secret team-a-s3", cut.Find("[data-testid=env-from] td").TextContent);
    }

    [Fact]
    public void Gpus_are_highlighted_and_pod_settings_listed()
    {
        var container = new V1Container
        {
            Name = "trainer",
            Image = "trainer:v2",
            Resources = new V1ResourceRequirements
            {
                Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("8"), ["nvidia.com/gpu"] = new("4") },
                Limits = new Dictionary<string, ResourceQuantity> { ["nvidia.com/gpu"] = new("4"), ["memory"] = new("64Gi") },
            },
            Ports = [new V1ContainerPort { ContainerPort = 23456, Name = "pytorchjob-port" }],
            VolumeMounts = [new V1VolumeMount { MountPath = "/data", Name = "dataset", ReadOnlyProperty = true }],
        };
        var pod = new V1PodSpec
        {
            Containers = [container],
            NodeSelector = new Dictionary<string, string> { ["accelerator"] = "a100" },
            Tolerations = [new V1Toleration { Effect = "NoSchedule", Key = "nvidia.com/gpu", OperatorProperty = "Exists" }],
        };
        var replica = ReplicaView.From("Worker", new ReplicaSpec { Replicas = 4, RestartPolicy = "OnFailure", Template = new V1PodTemplateSpec { Spec = pod } }, new ReplicaStatus { Active = 3, Failed = 1 });

        var cut = Render<ReplicaPanel>(ps => ps.Add(p => p.Replica, replica));

        var gpu = cut.Find("[data-resource='nvidia.com/gpu']");
        Assert.Equal("true", gpu.GetAttribute("data-gpu"));
        Assert.Contains("gpu", gpu.ClassName);
        Assert.Equal("—", cut.Find("[data-resource=cpu] [data-testid=resource-limit]").TextContent);
        Assert.Equal("64Gi", cut.Find("[data-resource=memory] [data-testid=resource-limit]").TextContent);
        Assert.Equal("pytorchjob-port 23456/TCP", cut.Find("[data-testid=container-ports] li").TextContent);
        Assert.Equal("dataset → /data (read-only)", cut.Find("[data-testid=container-mounts] li").TextContent);
        Assert.Equal("accelerator=a100", cut.Find("[data-testid=node-selector]").TextContent);
        Assert.Equal("nvidia.com/gpu exists : NoSchedule", cut.Find("[data-testid=tolerations]").TextContent);
        Assert.Equal("3", cut.Find("[data-testid=status-active]").TextContent);
        Assert.Equal("1", cut.Find("[data-testid=status-failed]").TextContent);
    }
}
