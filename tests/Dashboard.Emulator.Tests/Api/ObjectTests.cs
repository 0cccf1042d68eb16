using System.Net;
using System.Text.Json.Nodes;
using Dashboard.Emulator.Tests.Infrastructure;
using Dashboard.Model.PyTorchJobs;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Dashboard.Emulator.Tests.Api;

public sealed class ObjectTests
{
    private const string Group = PyTorchJob.KubeGroup;
    private const string Version = PyTorchJob.KubeVersion;
    private const string Plural = PyTorchJob.KubePlural;

    [Fact]
    public async Task Create_Get_Update_Delete_RoundTrip_WithVersionsAndGeneration()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = TestEmulator.Client(emulator);

        var created = await CreateAsync(client, TestEmulator.Job("bert"));
        Assert.Equal(1, created.Metadata.Generation);
        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.NotNull(created.Metadata.CreationTimestamp);
        Assert.Equal(emulator.Store.ResourceVersion.ToString(), created.Metadata.ResourceVersion);

        var fetched = await GetAsync(client, "bert");
        Assert.Equal(created.Metadata.ResourceVersion, fetched.Metadata.ResourceVersion);

        fetched.Metadata.Labels = new Dictionary<string, string> { ["team"] = "nlp" };
        var relabelled = await ReplaceAsync(client, fetched);
        Assert.Equal(1, relabelled.Metadata.Generation); // metadata only: same generation
        Assert.True(long.Parse(relabelled.Metadata.ResourceVersion) > long.Parse(fetched.Metadata.ResourceVersion));

        relabelled.Spec!.PytorchReplicaSpecs![ReplicaTypes.Worker].Replicas = 4;
        var scaled = await ReplaceAsync(client, relabelled);
        Assert.Equal(2, scaled.Metadata.Generation);
        Assert.Equal(created.Metadata.Uid, scaled.Metadata.Uid);

        var deleted = await client.CustomObjects.DeleteNamespacedCustomObjectWithHttpMessagesAsync(Group, Version, "team-a", Plural, "bert");
        Assert.Equal(HttpStatusCode.OK, deleted.Response.StatusCode);
        var notFound = await Assert.ThrowsAsync<HttpOperationException>(() => GetAsync(client, "bert"));
        AssertStatus(notFound, 404, "NotFound", "pytorchjobs.kubeflow.org \"bert\" not found");
    }

    [Fact]
    public async Task UpdateWithAStaleResourceVersion_Is409Conflict()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = TestEmulator.Client(emulator);
        var created = await CreateAsync(client, TestEmulator.Job("bert"));
        created.Metadata.Labels = new Dictionary<string, string> { ["a"] = "1" };
        await ReplaceAsync(client, created);

        created.Metadata.Labels["a"] = "2";
        var conflict = await Assert.ThrowsAsync<HttpOperationException>(() => ReplaceAsync(client, created));
        AssertStatus(conflict, 409, "Conflict",
            "Operation cannot be fulfilled on pytorchjobs.kubeflow.org \"bert\": the object has been modified; please apply your changes to the latest version and try again");

        var again = await Assert.ThrowsAsync<HttpOperationException>(() => CreateAsync(client, TestEmulator.Job("bert")));
        AssertStatus(again, 409, "AlreadyExists", "pytorchjobs.kubeflow.org \"bert\" already exists");
    }

    [Fact]
    public async Task MergePatchAndJsonPatch_ChangeTheObject()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = TestEmulator.Client(emulator);
        await CreateAsync(client, TestEmulator.Job("bert"));

        var merged = await PatchAsync(client, "bert", V1Patch.PatchType.MergePatch, """{"metadata":{"labels":{"team":"nlp","x":"y"}}}""");
        Assert.Equal("nlp", merged.Metadata.Labels["team"]);

        var removed = await PatchAsync(client, "bert", V1Patch.PatchType.MergePatch, """{"metadata":{"labels":{"x":null}}}""");
        Assert.False(removed.Metadata.Labels.ContainsKey("x"));

        var jsonPatched = await PatchAsync(client, "bert", V1Patch.PatchType.JsonPatch,
            """[{"op":"replace","path":"/spec/pytorchReplicaSpecs/Worker/replicas","value":8},{"op":"add","path":"/metadata/labels/y","value":"z"}]""");
        Assert.Equal(8, jsonPatched.Spec!.PytorchReplicaSpecs![ReplicaTypes.Worker].Replicas);
        Assert.Equal("z", jsonPatched.Metadata.Labels["y"]);
        Assert.Equal(2, jsonPatched.Metadata.Generation);

        var failedTest = await Assert.ThrowsAsync<HttpOperationException>(() =>
            PatchAsync(client, "bert", V1Patch.PatchType.JsonPatch, """[{"op":"test","path":"/metadata/name","value":"other"}]"""));
        Assert.Equal(422, (int)failedTest.Response.StatusCode);

        var stale = await Assert.ThrowsAsync<HttpOperationException>(() =>
            PatchAsync(client, "bert", V1Patch.PatchType.MergePatch, """{"metadata":{"resourceVersion":"1","labels":{"a":"b"}}}"""));
        Assert.Equal(409, (int)stale.Response.StatusCode);
    }

    [Fact]
    public async Task StatusSubresource_IsTheOnlyWayToWriteStatus()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = TestEmulator.Client(emulator);
        var job = TestEmulator.Job("bert");
        job.Status = new JobStatus { Conditions = [new JobCondition { Type = "Succeeded", Status = "True" }] };
        var created = await CreateAsync(client, job);
        Assert.Null(created.Status); // status is dropped on create

        var patched = await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync<PyTorchJob>(
            new V1Patch("""{"status":{"conditions":[{"type":"Created","status":"True"}]},"spec":{"nprocPerNode":"4"}}""", V1Patch.PatchType.MergePatch),
            Group, Version, "team-a", Plural, "bert");
        Assert.Equal("Created", patched.Status!.Conditions![0].Type);
        Assert.Null(patched.Spec!.NprocPerNode); // the status subresource ignores spec

        var viaStatus = await client.CustomObjects.GetNamespacedCustomObjectStatusAsync<PyTorchJob>(Group, Version, "team-a", Plural, "bert");
        Assert.Equal("Created", viaStatus.Status!.Conditions![0].Type);

        viaStatus.Status.Conditions.Add(new JobCondition { Type = "Running", Status = "True" });
        var replaced = await client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync<PyTorchJob>(viaStatus, Group, Version, "team-a", Plural, "bert");
        Assert.Equal(2, replaced.Status!.Conditions!.Count);

        replaced.Status = null;
        replaced.Metadata.Labels = new Dictionary<string, string> { ["a"] = "b" };
        var mainUpdate = await ReplaceAsync(client, replaced);
        Assert.Equal(2, mainUpdate.Status!.Conditions!.Count); // the main resource keeps the status
        Assert.Equal("b", mainUpdate.Metadata.Labels["a"]);
    }

    [Theory]
    [InlineData("Bad_Name", "metadata.name", "FieldValueInvalid")]
    [InlineData("no-specs", "spec.pytorchReplicaSpecs", "FieldValueRequired")]
    [InlineData("negative", "spec.pytorchReplicaSpecs[Worker].replicas", "FieldValueInvalid")]
    [InlineData("unknown-type", "spec.pytorchReplicaSpecs", "FieldValueNotSupported")]
    public async Task InvalidJobs_Are422WithCauses(string name, string field, string reason)
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = TestEmulator.Client(emulator);
        var job = TestEmulator.Job(name);
        switch (name)
        {
            case "no-specs":
                job.Spec!.PytorchReplicaSpecs = null;
                break;
            case "negative":
                job.Spec!.PytorchReplicaSpecs![ReplicaTypes.Worker].Replicas = -1;
                break;
            case "unknown-type":
                job.Spec!.PytorchReplicaSpecs!["Chief"] = job.Spec.PytorchReplicaSpecs[ReplicaTypes.Worker];
                break;
        }

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => CreateAsync(client, job));

        var status = AssertStatus(error, 422, "Invalid", null);
        Assert.StartsWith($"PyTorchJob.kubeflow.org \"{name}\" is invalid: {field}", (string?)status["message"], StringComparison.Ordinal);
        var cause = status["details"]!["causes"]!.AsArray()[0]!;
        Assert.Equal(field, (string?)cause["field"]);
        Assert.Equal(reason, (string?)cause["reason"]);
        Assert.Equal("PyTorchJob", (string?)status["details"]!["kind"]);
    }

    [Fact]
    public async Task CreateInANamespaceThatDoesNotExist_Is404()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = TestEmulator.Client(emulator);
        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.CustomObjects.CreateNamespacedCustomObjectWithHttpMessagesAsync(TestEmulator.Job("x", "nowhere"), Group, Version, "nowhere", Plural));
        AssertStatus(error, 404, "NotFound", "namespaces \"nowhere\" not found");
    }

    internal static JsonNode AssertStatus(HttpOperationException error, int code, string reason, string? message)
    {
        Assert.Equal(code, (int)error.Response.StatusCode);
        var status = JsonNode.Parse(error.Response.Content)!;
        Assert.Equal("Status", (string?)status["kind"]);
        Assert.Equal("v1", (string?)status["apiVersion"]);
        Assert.Equal("Failure", (string?)status["status"]);
        Assert.Equal(reason, (string?)status["reason"]);
        Assert.Equal(code, (int?)status["code"]);
        if (message is not null)
        {
            Assert.Equal(message, (string?)status["message"]);
        }

        return status;
    }

    private static async Task<PyTorchJob> CreateAsync(Kubernetes client, PyTorchJob job) =>
        (await client.CustomObjects.CreateNamespacedCustomObjectWithHttpMessagesAsync<PyTorchJob>(job, Group, Version, job.Metadata.NamespaceProperty, Plural)).Body;

    private static Task<PyTorchJob> GetAsync(Kubernetes client, string name) =>
        client.CustomObjects.GetNamespacedCustomObjectAsync<PyTorchJob>(Group, Version, "team-a", Plural, name);

    private static Task<PyTorchJob> ReplaceAsync(Kubernetes client, PyTorchJob job) =>
        client.CustomObjects.ReplaceNamespacedCustomObjectAsync<PyTorchJob>(job, Group, Version, "team-a", Plural, job.Metadata.Name);

    private static Task<PyTorchJob> PatchAsync(Kubernetes client, string name, V1Patch.PatchType type, string patch) =>
        client.CustomObjects.PatchNamespacedCustomObjectAsync<PyTorchJob>(new V1Patch(patch, type), Group, Version, "team-a", Plural, name);
}
