using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Dashboard.Emulator.Scenario;
using Dashboard.Model.PyTorchJobs;
using k8s;
using k8s.Models;

namespace Dashboard.Emulator.Tests.Scenario;

public sealed class ExampleJobTests
{
    private static JsonNode ReferenceItem()
    {
        // The repo's copy of shared/reference/pytorchjob-list-example.json (kept by the model tests).
        var path = Path.Combine(RepoRoot(), "tests", "Dashboard.Model.Tests", "TestData", "pytorchjob-list-example.json");
        Assert.True(File.Exists(path), "missing " + path);
        return JsonNode.Parse(File.ReadAllText(path))!["items"]![0]!;
    }

    [Fact]
    public void MatchesTheEmbeddedJsonAfterSerialization()
    {
        var serialized = JsonNode.Parse(KubernetesJson.Serialize(ExampleJob.Create()))!;
        AssertEquivalent(JsonNode.Parse(ExampleJob.Json)!, serialized, "$");
    }

    [Fact]
    public void EmbeddedJsonIsTheReferenceItemExactly()
    {
        Assert.True(JsonNode.DeepEquals(ReferenceItem(), JsonNode.Parse(ExampleJob.Json)), "ExampleJob.Json differs from the reference item");
    }

    [Fact]
    public void KeepsIdentityAndTimesAsGiven()
    {
        var job = ExampleJob.Create();
        Assert.Equal("pytorch-test", job.Metadata.Name);
        Assert.Equal("kube-test", job.Metadata.NamespaceProperty);
        Assert.Equal("72516798", job.Metadata.ResourceVersion);
        Assert.Equal("f4c79668-adfd-11e9-8041-340a9837e2a7", job.Metadata.Uid);
        Assert.Equal(new DateTime(2019, 7, 24, 10, 29, 45, DateTimeKind.Utc), job.Metadata.CreationTimestamp);
        Assert.Equal(new ResourceQuantity("2"), job.Spec!.PytorchReplicaSpecs![ReplicaTypes.Master].Template!.Spec!.Containers[0].Resources!.Limits!["cpu"]);
        Assert.NotSame(job, ExampleJob.Create());
    }

    [Fact]
    public void SeedingStoresTheExampleJobUnchanged()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        var store = new InMemoryScenarioStore(time);
        new ScenarioDriver(store, new ScenarioSettings(["team-a"], 2, 1, 1, true), time).SeedInitialJobs();

        var stored = Assert.Single(store.ListJobs(ExampleJob.Namespace));
        AssertEquivalent(JsonNode.Parse(ExampleJob.Json)!, JsonNode.Parse(KubernetesJson.Serialize(stored))!, "$");
        Assert.Contains(ExampleJob.Namespace, store.Namespaces);
    }

    /// <summary>Deep equality of JSON trees, except that a quantity may come back as a string: the reference has
    /// <c>"cpu": 2</c> (a bare number) and ResourceQuantity serializes it as "2", which is the same quantity.</summary>
    private static void AssertEquivalent(JsonNode expected, JsonNode actual, string path)
    {
        switch (expected)
        {
            case JsonObject expectedObject:
                var actualObject = Assert.IsType<JsonObject>(actual);
                Assert.Equal(expectedObject.Select(p => p.Key).Order(), actualObject.Select(p => p.Key).Order());
                foreach (var (key, value) in expectedObject)
                {
                    AssertEquivalent(value!, actualObject[key]!, path + "." + key);
                }

                break;
            case JsonArray expectedArray:
                var actualArray = Assert.IsType<JsonArray>(actual);
                Assert.Equal(expectedArray.Count, actualArray.Count);
                for (var i = 0; i < expectedArray.Count; i++)
                {
                    AssertEquivalent(expectedArray[i]!, actualArray[i]!, $"{path}[{i}]");
                }

                break;
            default:
                if (JsonNode.DeepEquals(expected, actual))
                {
                    return;
                }

                var isQuantity = path.Contains(".resources.limits.", StringComparison.Ordinal) || path.Contains(".resources.requests.", StringComparison.Ordinal);
                Assert.True(isQuantity, $"{path}: expected {expected.ToJsonString()}, got {actual.ToJsonString()}");
                Assert.Equal(new ResourceQuantity(expected.ToString()), new ResourceQuantity(actual.ToString()));
                break;
        }
    }

    /// <summary>From this source file's compile-time path, so it works whatever the artifacts folder.</summary>
    private static string RepoRoot([CallerFilePath] string sourceFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(sourceFile)!, "..", "..", ".."));
}
