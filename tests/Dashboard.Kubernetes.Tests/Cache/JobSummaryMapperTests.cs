using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dashboard.Emulator.Scenario;
using Dashboard.Kubernetes.Cache;
using Dashboard.Kubernetes.Query;

namespace Dashboard.Kubernetes.Tests.Cache;

public sealed class JobSummaryMapperTests
{
    [Fact]
    public void The_reference_example_maps_to_its_summary()
    {
        using var document = JsonDocument.Parse(ExampleJob.Json);
        var pool = new StringPool();
        var summary = JobSummaryMapper.FromJson(document.RootElement, pool);

        Assert.Equal("kube-test", summary.Namespace);
        Assert.Equal("pytorch-test", summary.Name);
        Assert.Equal("72516798", summary.ResourceVersion);
        Assert.Equal("f4c79668-adfd-11e9-8041-340a9837e2a7", summary.Uid);
        Assert.Equal(DateTimeOffset.Parse("2019-07-24T10:29:45Z", System.Globalization.CultureInfo.InvariantCulture), summary.CreatedAt);
        Assert.Equal("*.*.*.215:20202/gcs/pytorch-cpu:v1", summary.Image);
        Assert.Equal(new ReplicaSummary(1, 0, 0, 0), summary.Master);
        Assert.Equal(new ReplicaSummary(1, 0, 0, 0), summary.Worker);
        Assert.False(summary.Elastic);
        Assert.Equal("kube-test/pytorch-test", summary.Key);
    }

    [Fact]
    public void Compact_bytes_drop_managed_fields_and_keep_everything_else()
    {
        var node = JsonNode.Parse(ExampleJob.Json)!;
        node["metadata"]!["managedFields"] = JsonNode.Parse("""[{"manager":"kubectl","operation":"Update","fieldsV1":{"f:spec":{}}}]""");
        node["metadata"]!["labels"] = JsonNode.Parse("""{"team":"a","tier":"gold"}""");
        using var document = JsonDocument.Parse(node.ToJsonString());

        var bytes = JobJson.CompactBytes(document.RootElement);

        var compact = JsonNode.Parse(Encoding.UTF8.GetString(bytes))!;
        Assert.Null(compact["metadata"]!["managedFields"]);
        node["metadata"]!.AsObject().Remove("managedFields");
        Assert.True(JsonNode.DeepEquals(node, compact));
    }

    [Fact]
    public void Shared_strings_are_interned_across_jobs()
    {
        var pool = new StringPool();
        var a = JobSummaryMapper.FromJson(Parse("""{"metadata":{"name":"a","namespace":"team-a","labels":{"tier":"gold"}},"status":{"conditions":[{"type":"Running","status":"True","reason":"PyTorchJobRunning"}]}}"""), pool);
        var b = JobSummaryMapper.FromJson(Parse("""{"metadata":{"name":"b","namespace":"team-a","labels":{"tier":"gold"}},"status":{"conditions":[{"type":"Running","status":"True","reason":"PyTorchJobRunning"}]}}"""), pool);

        Assert.Same(a.Namespace, b.Namespace);
        Assert.Same(a.Labels.Keys.Single(), b.Labels.Keys.Single());
        Assert.Same(a.Labels["tier"], b.Labels["tier"]);
        Assert.Same(a.StateReason, b.StateReason);
        Assert.Equal(JobState.Running, a.State);
    }

    [Theory]
    [InlineData("""[{"type":"Created","status":"True"},{"type":"Running","status":"True"}]""", JobState.Running)]
    [InlineData("""[{"type":"Created","status":"True"},{"type":"Running","status":"False"},{"type":"Succeeded","status":"True"}]""", JobState.Succeeded)]
    [InlineData("""[{"type":"Created","status":"True"},{"type":"Running","status":"False"},{"type":"Suspended","status":"True"}]""", JobState.Suspended)]
    [InlineData("""[{"type":"Created","status":"True"},{"type":"Restarting","status":"True"}]""", JobState.Restarting)]
    [InlineData("""[{"type":"Created","status":"True"},{"type":"Running","status":"False"},{"type":"Failed","status":"True"}]""", JobState.Failed)]
    [InlineData("""[]""", JobState.Unknown)]
    public void The_state_is_the_newest_condition_that_holds(string conditions, JobState expected)
    {
        var summary = JobSummaryMapper.FromJson(Parse("""{"metadata":{"name":"a","namespace":"n"},"status":{"conditions":""" + conditions + "}}"));
        Assert.Equal(expected, summary.State);
    }

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
