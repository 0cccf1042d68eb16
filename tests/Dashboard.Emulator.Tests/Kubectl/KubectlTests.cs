using System.Text.Json.Nodes;
using Dashboard.Emulator.Store;
using Dashboard.Emulator.Tests.Infrastructure;
using Dashboard.Model.PyTorchJobs;

namespace Dashboard.Emulator.Tests.Kubectl;

/// <summary>kubectl (1.32) as an independent client of the emulator.</summary>
public sealed class KubectlTests
{
    private const string JobYaml = """
        apiVersion: kubeflow.org/v1
        kind: PyTorchJob
        metadata:
          name: applied
          namespace: team-a
          labels: {team: nlp}
        spec:
          pytorchReplicaSpecs:
            Master:
              replicas: 1
              restartPolicy: OnFailure
              template:
                spec:
                  containers: [{name: pytorch, image: "pytorch:IMAGE"}]
        """;

    [Fact]
    public async Task Get_PrintsTheTable_AndJson()
    {
        await using var emulator = await TestEmulator.StartAsync();
        TestEmulator.Seed(emulator, 3);
        SetLastCondition(emulator, "job-00001", "Running");
        using var kubectl = new Infrastructure.Kubectl(emulator);

        var (code, table, error) = await kubectl.RunAsync("get", "pytorchjobs");
        Assert.True(code == 0, error);
        var lines = table.Trim().Split('\n');
        Assert.Matches(@"^NAME\s+STATE\s+AGE$", lines[0]);
        Assert.Matches(@"^job-00000\s+\d+s$", lines[1]); // no condition yet: an empty STATE cell
        Assert.Matches(@"^job-00001\s+Running\s+\d+s$", lines[2]);

        var (_, json, _) = await kubectl.RunAsync("get", "pytorchjobs", "-o", "json");
        var items = JsonNode.Parse(json)!["items"]!.AsArray();
        Assert.Equal(["job-00000", "job-00001", "job-00002"], items.Select(i => (string)i!["metadata"]!["name"]!));
        Assert.Equal("Running", (string?)items[1]!["status"]!["conditions"]![0]!["type"]);
    }

    [Fact]
    public async Task ChunkSize7_OverManyPages_ReturnsExactlyTheFullList()
    {
        await using var emulator = await TestEmulator.StartAsync();
        TestEmulator.Seed(emulator, 52);
        TestEmulator.Seed(emulator, 9, "team-b");
        using var kubectl = new Infrastructure.Kubectl(emulator);

        var (code, json, error) = await kubectl.RunAsync("get", "pytorchjobs", "-A", "--chunk-size=7", "-o", "json");

        Assert.True(code == 0, error);
        var names = JsonNode.Parse(json)!["items"]!.AsArray().Select(i => $"{i!["metadata"]!["namespace"]}/{i["metadata"]!["name"]}").ToList();
        var expected = emulator.Store.Snapshot(ResourceKind.PyTorchJobs).Items.Select(j => j.Key).ToList();
        Assert.Equal(expected, names);
        Assert.Equal(9, emulator.Stats.ListPagesByNamespace["*"]); // ceil(61 / 7) pages
    }

    [Theory]
    [InlineData("tier=gold", "job-00000,job-00003")]
    [InlineData("tier==gold", "job-00000,job-00003")]
    [InlineData("tier!=gold", "job-00001,job-00002,job-00004")]
    [InlineData("tier in (silver, bronze)", "job-00001,job-00002,job-00004")]
    [InlineData("tier notin (gold,silver)", "job-00002")]
    [InlineData("gpu", "job-00000,job-00002,job-00004")]
    [InlineData("!gpu", "job-00001,job-00003")]
    [InlineData("rank>2", "job-00003,job-00004")]
    [InlineData("rank<1", "job-00000")]
    public async Task LabelSelector_EachOperator(string selector, string expected)
    {
        await using var emulator = await TestEmulator.StartAsync();
        string[] tiers = ["gold", "silver", "bronze", "gold", "silver"];
        TestEmulator.Seed(emulator, 5, labels: i =>
        {
            var labels = new Dictionary<string, string> { ["tier"] = tiers[i], ["rank"] = i.ToString() };
            if (i % 2 == 0)
            {
                labels["gpu"] = "true";
            }

            return labels;
        });
        using var kubectl = new Infrastructure.Kubectl(emulator);

        var (code, output, error) = await kubectl.RunAsync("get", "pytorchjobs", "-l", selector, "-o", "name");

        Assert.True(code == 0, error);
        Assert.Equal(expected.Split(',').Select(n => "pytorchjob.kubeflow.org/" + n), output.Trim().Split('\n'));
    }

    [Fact]
    public async Task FieldSelector_AndMalformedSelector()
    {
        await using var emulator = await TestEmulator.StartAsync();
        TestEmulator.Seed(emulator, 3);
        using var kubectl = new Infrastructure.Kubectl(emulator);

        var (_, output, _) = await kubectl.RunAsync("get", "pytorchjobs", "--field-selector", "metadata.name=job-00002", "-o", "name");
        Assert.Equal("pytorchjob.kubeflow.org/job-00002", output.Trim());

        var (code, _, error) = await kubectl.RunAsync("get", "pytorchjobs", "-l", "tier in (gold");
        Assert.NotEqual(0, code);
        Assert.Contains("Error from server (BadRequest)", error, StringComparison.Ordinal);
        Assert.Contains("unable to parse requirement", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetWatch_SeesAChange()
    {
        await using var emulator = await TestEmulator.StartAsync();
        TestEmulator.Seed(emulator, 2);
        using var kubectl = new Infrastructure.Kubectl(emulator);

        var output = await kubectl.ReadUntilAsync(
            text => text.Contains("Succeeded", StringComparison.Ordinal),
            async () =>
            {
                await Eventually.WaitUntilAsync(() => emulator.Stats.WatchesOpenNow.GetValueOrDefault("team-a") == 1, because: "kubectl watching");
                SetLastCondition(emulator, "job-00001", "Succeeded");
            },
            "get", "pytorchjobs", "-w");

        Assert.Matches(@"job-00001\s+Succeeded", output);
    }

    [Fact]
    public async Task Apply_CreatesAndUpdates_PatchStatus_Wait_Delete()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var kubectl = new Infrastructure.Kubectl(emulator);
        var file = kubectl.WriteFile("job.yaml", JobYaml.Replace("IMAGE", "1", StringComparison.Ordinal));

        var created = await kubectl.RunAsync("apply", "-f", file);
        Assert.True(created.ExitCode == 0, created.Error);
        Assert.Equal("pytorchjob.kubeflow.org/applied created", created.Output.Trim());

        kubectl.WriteFile("job.yaml", JobYaml.Replace("IMAGE", "2", StringComparison.Ordinal));
        var updated = await kubectl.RunAsync("apply", "-f", file);
        Assert.True(updated.ExitCode == 0, updated.Error);
        Assert.Equal("pytorchjob.kubeflow.org/applied configured", updated.Output.Trim());
        var job = (PyTorchJob)Store.ObjectCodec.FromStored(ResourceKind.PyTorchJobs, emulator.Store.Get(ResourceKind.PyTorchJobs, "team-a", "applied")!);
        Assert.Equal("pytorch:2", job.Spec!.PytorchReplicaSpecs![ReplicaTypes.Master].Template!.Spec.Containers[0].Image);
        Assert.Equal(2, job.Metadata.Generation);

        var waiting = kubectl.RunAsync("wait", "--for=condition=Succeeded", "pytorchjob/applied", "--timeout=20s");
        var patched = await kubectl.RunAsync("patch", "pytorchjob", "applied", "--subresource=status", "--type=merge",
            "-p", """{"status":{"conditions":[{"type":"Succeeded","status":"True","reason":"PyTorchJobSucceeded"}]}}""");
        Assert.True(patched.ExitCode == 0, patched.Error);
        var waited = await waiting;
        Assert.True(waited.ExitCode == 0, waited.Error);
        Assert.Equal("pytorchjob.kubeflow.org/applied condition met", waited.Output.Trim());

        var deleted = await kubectl.RunAsync("delete", "pytorchjob", "applied");
        Assert.True(deleted.ExitCode == 0, deleted.Error);
        Assert.Equal("pytorchjob.kubeflow.org \"applied\" deleted", deleted.Output.Trim());
        Assert.Null(emulator.Store.Get(ResourceKind.PyTorchJobs, "team-a", "applied"));
    }

    [Fact]
    public async Task Apply_ValidatesStrictly_AndServerDryRunStoresNothing()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var kubectl = new Infrastructure.Kubectl(emulator);
        var unknown = kubectl.WriteFile("unknown.yaml", JobYaml.Replace("IMAGE", "1", StringComparison.Ordinal) + "\n  bogus: 1\n");
        var valid = kubectl.WriteFile("valid.yaml", JobYaml.Replace("IMAGE", "1", StringComparison.Ordinal));

        var rejected = await kubectl.RunAsync("apply", "-f", unknown);
        Assert.NotEqual(0, rejected.ExitCode);
        Assert.Contains("strict decoding error: unknown field \"spec.bogus\"", rejected.Error, StringComparison.Ordinal);

        var dryRun = await kubectl.RunAsync("apply", "-f", valid, "--dry-run=server");
        Assert.True(dryRun.ExitCode == 0, dryRun.Error);
        Assert.Equal("pytorchjob.kubeflow.org/applied created (server dry run)", dryRun.Output.Trim());
        Assert.Null(emulator.Store.Get(ResourceKind.PyTorchJobs, "team-a", "applied"));
    }

    [Fact]
    public async Task Scale_SetsTheWorkerReplicas()
    {
        await using var emulator = await TestEmulator.StartAsync();
        TestEmulator.Seed(emulator, 1);
        using var kubectl = new Infrastructure.Kubectl(emulator);

        var scaled = await kubectl.RunAsync("scale", "pytorchjob", "job-00000", "--replicas=6");

        Assert.True(scaled.ExitCode == 0, scaled.Error);
        Assert.Equal("pytorchjob.kubeflow.org/job-00000 scaled", scaled.Output.Trim());
        var job = (PyTorchJob)Store.ObjectCodec.FromStored(ResourceKind.PyTorchJobs, emulator.Store.Get(ResourceKind.PyTorchJobs, "team-a", "job-00000")!);
        Assert.Equal(6, job.Spec!.PytorchReplicaSpecs![ReplicaTypes.Worker].Replicas);
        Assert.Equal(2, job.Metadata.Generation);
    }

    [Fact]
    public async Task CreateNamespace_Works()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var kubectl = new Infrastructure.Kubectl(emulator);

        var created = await kubectl.RunAsync("create", "namespace", "lab");

        Assert.True(created.ExitCode == 0, created.Error);
        Assert.Equal("namespace/lab created", created.Output.Trim());
        Assert.NotNull(emulator.Store.Get(ResourceKind.Namespaces, null, "lab"));
    }

    /// <remarks>kubectl never sends a bearer token over plain http, so only the refusal can be shown with it;
    /// the accepted token is covered through KubernetesClient.</remarks>
    [Fact]
    public async Task WithoutTheToken_KubectlIsUnauthorized()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o with { Token = "t0ken" });
        using var kubectl = new Infrastructure.Kubectl(emulator);

        var denied = await kubectl.RunAsync("get", "pytorchjobs");

        Assert.NotEqual(0, denied.ExitCode);
        Assert.Contains("error: You must be logged in to the server", denied.Error, StringComparison.Ordinal);
    }

    private static void SetLastCondition(EmulatorHost emulator, string name, string type) =>
        emulator.Store.Update(ResourceKind.PyTorchJobs, "team-a", name, current =>
        {
            ((PyTorchJob)current).Status = new JobStatus { Conditions = [new JobCondition { Type = type, Status = "True" }] };
            return current;
        });
}
