using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Dashboard.Emulator.Store;
using Dashboard.Emulator.Tests.Infrastructure;
using Dashboard.Model.PyTorchJobs;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Dashboard.Emulator.Tests.Api;

/// <summary>Labels and annotations the API server rejects are a 422 Invalid worded as apimachinery words it.</summary>
public sealed class MetadataValidationTests
{
    private const string Group = PyTorchJob.KubeGroup;
    private const string Version = PyTorchJob.KubeVersion;
    private const string Plural = PyTorchJob.KubePlural;

    private const string NamePartRule =
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character "
        + "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

    private const string LabelValueRule =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
        + "alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

    private const string PrefixSubdomainRule =
        "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an "
        + "alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    private const string TooManySlashesRule =
        "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character "
        + "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') "
        + "with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";

    public static TheoryData<string, string, string[]> BadLabels => new()
    {
        { "<b>", "ok", [$"Invalid value: \"<b>\": {NamePartRule}"] },
        // The slash of "</b>" makes "<b>html<" a (bad) prefix and "b>" a (bad) name part.
        { "<b>html</b>", "ok", [$"Invalid value: \"<b>html</b>\": {PrefixSubdomainRule}", $"Invalid value: \"<b>html</b>\": {NamePartRule}"] },
        { "team", new string('x', 64), [$"Invalid value: \"{new string('x', 64)}\": must be no more than 63 characters"] },
        { new string('k', 64), "ok", [$"Invalid value: \"{new string('k', 64)}\": name part must be no more than 63 characters"] },
        { "team", "a b", [$"Invalid value: \"a b\": {LabelValueRule}"] },
        { "team", "-x", [$"Invalid value: \"-x\": {LabelValueRule}"] },
        { "a/b/c", "ok", [$"Invalid value: \"a/b/c\": {TooManySlashesRule}"] },
        { "Example.com/team", "ok", [$"Invalid value: \"Example.com/team\": {PrefixSubdomainRule}"] },
        { "example.com/", "ok", ["Invalid value: \"example.com/\": name part must be non-empty", $"Invalid value: \"example.com/\": {NamePartRule}"] },
        { "team\n", "ok", [$"Invalid value: \"team\\n\": {NamePartRule}"] },
        { "team", "ok\n", [$"Invalid value: \"ok\\n\": {LabelValueRule}"] },
        { "team", "\u00e9t\u00e9\u0007", [$"Invalid value: \"\u00e9t\u00e9\\a\": {LabelValueRule}"] },
    };

    [Theory]
    [MemberData(nameof(BadLabels))]
    public async Task CreateWithABadLabel_Is422WithTheApiServersMessage(string key, string value, string[] details)
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = TestEmulator.Client(emulator);

        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            CreateAsync(client, TestEmulator.Job("bert", labels: new Dictionary<string, string> { [key] = value })));

        // One error is the message as it is; several are joined in brackets, as apimachinery's aggregate prints them.
        var errors = details.Select(detail => "metadata.labels: " + detail).ToList();
        var joined = errors.Count == 1 ? errors[0] : "[" + string.Join(", ", errors) + "]";
        var status = ObjectTests.AssertStatus(error, 422, "Invalid", $"PyTorchJob.kubeflow.org \"bert\" is invalid: {joined}");
        var causes = status["details"]!["causes"]!.AsArray();
        Assert.Equal(details, causes.Select(cause => (string?)cause!["message"]));
        Assert.All(causes, cause => Assert.Equal("metadata.labels", (string?)cause!["field"]));
        Assert.All(causes, cause => Assert.Equal("FieldValueInvalid", (string?)cause!["reason"]));
        Assert.Null(emulator.Store.Get(ResourceKind.PyTorchJobs, "team-a", "bert"));
    }

    [Fact]
    public async Task SeveralProblems_AreAllCauses_AndTheMessageJoinsThemInBrackets()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = TestEmulator.Client(emulator);
        var longBadValue = new string('x', 63) + "!";
        var labels = new Dictionary<string, string> { ["/team"] = longBadValue };

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => CreateAsync(client, TestEmulator.Job("bert", labels: labels)));

        string[] expected =
        [
            "metadata.labels: Invalid value: \"/team\": prefix part must be non-empty",
            $"metadata.labels: Invalid value: \"{longBadValue}\": must be no more than 63 characters",
            $"metadata.labels: Invalid value: \"{longBadValue}\": {LabelValueRule}",
        ];
        var status = ObjectTests.AssertStatus(error, 422, "Invalid",
            $"PyTorchJob.kubeflow.org \"bert\" is invalid: [{string.Join(", ", expected)}]");
        Assert.Equal(3, status["details"]!["causes"]!.AsArray().Count);
    }

    [Fact]
    public async Task RepeatedMessages_AreSaidOnce_ButEveryCauseIsKept()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = TestEmulator.Client(emulator);
        var labels = new Dictionary<string, string> { ["a"] = "-bad", ["b"] = "-bad" };

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => CreateAsync(client, TestEmulator.Job("bert", labels: labels)));

        // field.ErrorList.ToAggregate drops a message it has already printed; one left means no brackets.
        var status = ObjectTests.AssertStatus(error, 422, "Invalid",
            $"PyTorchJob.kubeflow.org \"bert\" is invalid: metadata.labels: Invalid value: \"-bad\": {LabelValueRule}");
        Assert.Equal(2, status["details"]!["causes"]!.AsArray().Count);
    }

    [Fact]
    public async Task MetadataErrors_ComeBeforeSpecErrors()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = TestEmulator.Client(emulator);
        var job = TestEmulator.Job("bert", labels: new Dictionary<string, string> { ["a/b/c"] = "ok" });
        job.Spec!.PytorchReplicaSpecs![ReplicaTypes.Worker].Replicas = -1;

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => CreateAsync(client, job));

        var causes = ObjectTests.AssertStatus(error, 422, "Invalid", null)["details"]!["causes"]!.AsArray();
        Assert.Equal(["metadata.labels", "spec.pytorchReplicaSpecs[Worker].replicas"], causes.Select(c => (string?)c!["field"]));
    }

    [Fact]
    public async Task ValidLabelsAtTheLimits_AreAccepted()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = TestEmulator.Client(emulator);
        var labels = new Dictionary<string, string>
        {
            [new string('k', 63)] = new string('v', 63),
            [new string('p', 253) + "/name"] = "",
            ["A_b.C-d"] = "My_Value.1-2",
            ["app.kubernetes.io/name"] = "x",
        };

        var created = await CreateAsync(client, TestEmulator.Job("bert", labels: labels));

        Assert.Equal(labels.Count, created.Metadata.Labels.Count);
    }

    [Fact]
    public async Task AnnotationKeys_IgnoreCase_ButMustBeQualifiedNames()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = TestEmulator.Client(emulator);
        var job = TestEmulator.Job("upper");
        job.Metadata.Annotations = new Dictionary<string, string> { ["Example.COM/Note"] = "any value at all: <b>ok</b>" };
        var created = await CreateAsync(client, job);
        Assert.Equal("any value at all: <b>ok</b>", created.Metadata.Annotations["Example.COM/Note"]);

        var bad = TestEmulator.Job("bad");
        bad.Metadata.Annotations = new Dictionary<string, string> { ["Note!"] = "x" };
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => CreateAsync(client, bad));
        // The key is checked lowercased but shown as sent.
        ObjectTests.AssertStatus(error, 422, "Invalid", $"PyTorchJob.kubeflow.org \"bad\" is invalid: metadata.annotations: Invalid value: \"Note!\": {NamePartRule}");
    }

    [Fact]
    public async Task AnnotationsOver256KiB_AreTooLong_AndExactly256KiB_IsAccepted()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = TestEmulator.Client(emulator);
        const string key = "note";
        var atLimit = TestEmulator.Job("at-limit");
        atLimit.Metadata.Annotations = new Dictionary<string, string> { [key] = new string('a', 262_144 - key.Length) };
        await CreateAsync(client, atLimit);

        var over = TestEmulator.Job("over");
        // Sizes are bytes: 'é' is two of them in UTF-8, so this is one byte over with fewer chars than the limit.
        over.Metadata.Annotations = new Dictionary<string, string> { [key] = "é" + new string('a', 262_144 - key.Length - 1) };
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => CreateAsync(client, over));

        var status = ObjectTests.AssertStatus(error, 422, "Invalid",
            "PyTorchJob.kubeflow.org \"over\" is invalid: metadata.annotations: Too long: must have at most 262144 bytes");
        var cause = Assert.Single(status["details"]!["causes"]!.AsArray())!;
        Assert.Equal("FieldValueTooLong", (string?)cause["reason"]);
        Assert.Equal("metadata.annotations", (string?)cause["field"]);
    }

    [Fact]
    public async Task UpdateAndBothPatchKinds_WithABadLabel_Are422_AndChangeNothing()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = TestEmulator.Client(emulator);
        var created = await CreateAsync(client, TestEmulator.Job("bert", labels: new Dictionary<string, string> { ["team"] = "nlp" }));
        var expected = $"PyTorchJob.kubeflow.org \"bert\" is invalid: metadata.labels: Invalid value: \"<b>\": {NamePartRule}";

        created.Metadata.Labels["<b>"] = "x";
        var put = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.CustomObjects.ReplaceNamespacedCustomObjectAsync<PyTorchJob>(created, Group, Version, "team-a", Plural, "bert"));
        ObjectTests.AssertStatus(put, 422, "Invalid", expected);

        var merge = await Assert.ThrowsAsync<HttpOperationException>(() =>
            PatchAsync(client, V1Patch.PatchType.MergePatch, """{"metadata":{"labels":{"<b>":"x"}}}"""));
        ObjectTests.AssertStatus(merge, 422, "Invalid", expected);

        var json = await Assert.ThrowsAsync<HttpOperationException>(() =>
            PatchAsync(client, V1Patch.PatchType.JsonPatch, """[{"op":"add","path":"/metadata/labels/team","value":"-bad-"}]"""));
        ObjectTests.AssertStatus(json, 422, "Invalid",
            $"PyTorchJob.kubeflow.org \"bert\" is invalid: metadata.labels: Invalid value: \"-bad-\": {LabelValueRule}");

        var current = await client.CustomObjects.GetNamespacedCustomObjectAsync<PyTorchJob>(Group, Version, "team-a", Plural, "bert");
        Assert.Equal(created.Metadata.ResourceVersion, current.Metadata.ResourceVersion);
        Assert.Equal(new Dictionary<string, string> { ["team"] = "nlp" }, current.Metadata.Labels);
    }

    [Fact]
    public async Task NamespaceCreateWithABadLabel_Is422()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var http = TestEmulator.Http(emulator);

        var response = await http.PostAsync("api/v1/namespaces", new StringContent(
            """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"ml","labels":{"team":"a b"}}}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var status = (await response.Content.ReadFromJsonAsync<JsonNode>())!;
        Assert.Equal($"Namespace \"ml\" is invalid: metadata.labels: Invalid value: \"a b\": {LabelValueRule}", (string?)status["message"]);
        Assert.Equal("Invalid", (string?)status["reason"]);
        Assert.Null(emulator.Store.Get(ResourceKind.Namespaces, null, "ml"));
    }

    [Fact]
    public async Task NamespacePatchWithABadLabel_Is422_AndChangesNothing()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var http = TestEmulator.Http(emulator);
        using (var created = await http.PostAsync("api/v1/namespaces", new StringContent(
            """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"ml","labels":{"team":"a"}}}""", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using var patch = new HttpRequestMessage(HttpMethod.Patch, "api/v1/namespaces/ml")
        {
            Content = new StringContent("""{"metadata":{"labels":{"team":"a b"}}}""", Encoding.UTF8, "application/merge-patch+json"),
        };
        var response = await http.SendAsync(patch);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var status = (await response.Content.ReadFromJsonAsync<JsonNode>())!;
        Assert.Equal($"Namespace \"ml\" is invalid: metadata.labels: Invalid value: \"a b\": {LabelValueRule}", (string?)status["message"]);
        Assert.Equal("a", emulator.Store.Get(ResourceKind.Namespaces, null, "ml")!.Labels["team"]);
    }

    [Fact]
    public async Task ScenarioJobsAndTheExampleJob_PassValidation()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o with { Jobs = 60, IncludeExampleJob = true });
        using var client = TestEmulator.Client(emulator);
        var list = await client.CustomObjects.ListClusterCustomObjectAsync<PyTorchJobList>(Group, Version, Plural);
        Assert.Equal(61, list.Items.Count);
        Assert.Contains(list.Items, job => job.Metadata.Name == "pytorch-test");
        Assert.Contains(list.Items, job => job.Metadata.Labels?.Count > 0);

        foreach (var job in list.Items)
        {
            // An update validates the whole object as a create does; every one of them must still be accepted.
            var replaced = await client.CustomObjects.ReplaceNamespacedCustomObjectAsync<PyTorchJob>(
                job, Group, Version, job.Metadata.NamespaceProperty, Plural, job.Metadata.Name);
            Assert.Equal(job.Metadata.Labels?.Count ?? 0, replaced.Metadata.Labels?.Count ?? 0);
        }
    }

    [Fact]
    public async Task KubectlApply_PrintsTheApiServersMessage()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var kubectl = new Infrastructure.Kubectl(emulator);
        var file = kubectl.WriteFile("bad.yaml", """
            apiVersion: kubeflow.org/v1
            kind: PyTorchJob
            metadata:
              name: bad-labels
              labels:
                "<b>html</b>": "x"
            spec:
              pytorchReplicaSpecs:
                Master:
                  replicas: 1
                  restartPolicy: OnFailure
                  template:
                    spec:
                      containers:
                      - name: pytorch
                        image: pytorch:1
            """);

        var result = await kubectl.RunAsync("apply", "-f", file);

        Assert.NotEqual(0, result.ExitCode);
        // kubectl lists the causes of a 422 one per line (after a header that keeps its trailing space).
        var expected = string.Join('\n',
            "The PyTorchJob \"bad-labels\" is invalid: ",
            $"* metadata.labels: Invalid value: \"<b>html</b>\": {PrefixSubdomainRule}",
            $"* metadata.labels: Invalid value: \"<b>html</b>\": {NamePartRule}");
        Assert.Equal(expected, result.Error.Trim().ReplaceLineEndings("\n"));
        Assert.Null(emulator.Store.Get(ResourceKind.PyTorchJobs, "team-a", "bad-labels"));
    }

    private static async Task<PyTorchJob> CreateAsync(Kubernetes client, PyTorchJob job) =>
        (await client.CustomObjects.CreateNamespacedCustomObjectWithHttpMessagesAsync<PyTorchJob>(job, Group, Version, job.Metadata.NamespaceProperty, Plural)).Body;

    private static Task<PyTorchJob> PatchAsync(Kubernetes client, V1Patch.PatchType type, string patch) =>
        client.CustomObjects.PatchNamespacedCustomObjectAsync<PyTorchJob>(new V1Patch(patch, type), Group, Version, "team-a", Plural, "bert");
}
