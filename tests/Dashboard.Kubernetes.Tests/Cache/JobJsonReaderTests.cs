using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dashboard.Emulator;
using Dashboard.Emulator.Scenario;
using Dashboard.Kubernetes.Cache;
using Dashboard.Kubernetes.Query;
using Dashboard.Kubernetes.Sync;

namespace Dashboard.Kubernetes.Tests.Cache;

/// <summary>The single-pass reader the LIST and WATCH paths use must agree with the JsonElement mapper on every job.</summary>
public sealed class JobJsonReaderTests
{
    [Fact]
    public async Task Every_scenario_job_reads_as_the_JsonElement_mapper_maps_it()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { Jobs = 120, EventsPerSecond = 0, Seed = 7 });
        using var http = new HttpClient { BaseAddress = emulator.BaseAddress };
        var body = await http.GetByteArrayAsync("apis/kubeflow.org/v1/pytorchjobs?limit=500");

        var page = ListPage.Read(body, body.Length);
        var jobs = page.ReadJobs(new StringPool());

        using var document = JsonDocument.Parse(body);
        var items = document.RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(items.Count, jobs.Count);
        Assert.True(jobs.Count > 100);
        Assert.Equal(document.RootElement.GetProperty("metadata").GetProperty("resourceVersion").GetString(), page.ResourceVersion);
        for (var i = 0; i < items.Count; i++)
        {
            AssertSameSummary(JobSummaryMapper.FromJson(items[i]), jobs[i].Summary);
            AssertSameJson(JobJson.CompactBytes(items[i]), jobs[i].Json);
        }

        Assert.Contains(jobs, j => j.Summary.State == JobState.Running);
        Assert.Contains(jobs, j => j.Summary.Labels.Count > 0);
    }

    [Theory]
    [InlineData("""{"metadata":{"managedFields":[{"manager":"kubectl"}],"name":"a","namespace":"n"},"spec":{}}""")]
    [InlineData("""{"metadata":{"name":"a","managedFields":[{"manager":"kubectl","fieldsV1":{"f:spec":{}}}],"namespace":"n"}}""")]
    [InlineData("""{"metadata":{"name":"a","namespace":"n","managedFields":[]},"status":{}}""")]
    [InlineData("""{ "metadata" : { "managedFields" : [ ] } , "kind" : "PyTorchJob" }""")]
    [InlineData("""{"kind":"PyTorchJob","metadata":{"name":"esc\"aped\u00e9","namespace":"n","labels":{"t\u0065am":"a\/b","n":5,"x":""}}}""")]
    [InlineData("""{"metadata":{"name":"a","creationTimestamp":"2024-05-01T10:00:00+02:00"},"status":{"startTime":"2024-05-01 08:00:00","completionTime":"not a time"}}""")]
    [InlineData("""{"metadata":{"name":"a"},"status":{"conditions":[{"type":"Created","status":"False","reason":"R1"},{"type":"Running","status":"Unknown","reason":"R2","message":"m"}]}}""")]
    [InlineData("""{"metadata":{"name":"a"},"status":{"conditions":[1,{"type":"Failed","status":"True","reason":"Boom"},"x"],"replicaStatuses":{"Worker":{"active":2,"failed":"x"},"Master":3}}}""")]
    [InlineData("""{"metadata":{"name":"a"},"spec":{"elasticPolicy":{},"pytorchReplicaSpecs":{"Worker":{"replicas":12,"template":{"spec":{"containers":[{"name":"x"},{"image":"w:1"}]}}},"Master":"odd"}}}""")]
    [InlineData("""{"metadata":{"name":"a"},"spec":{"pytorchReplicaSpecs":{"Master":{"template":{"spec":{"containers":[{"image":"m:1"}]}}},"Worker":{"replicas":2.5}}},"status":{"replicaStatuses":{"Master":{"active":1,"succeeded":1}}}}""")]
    [InlineData("""{"metadata":{"name":"first","namespace":"n"},"metadata":{"name":"last","labels":{"a":"1"}},"status":{"conditions":[]}}""")]
    [InlineData("""{"metadata":"nope","spec":[],"status":null}""")]
    public void Edge_cases_read_as_the_JsonElement_mapper_maps_them(string json)
    {
        using var document = JsonDocument.Parse(json);
        var pool = new StringPool();

        var (summary, bytes) = JobJsonReader.Read(Encoding.UTF8.GetBytes(json), pool);

        AssertSameSummary(JobSummaryMapper.FromJson(document.RootElement, new StringPool()), summary);
        AssertSameJson(JobJson.CompactBytes(document.RootElement), bytes);
        Assert.DoesNotContain("managedFields", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public void The_reference_example_reads_with_shared_strings_and_label_sets()
    {
        var pool = new StringPool();
        var node = JsonNode.Parse(ExampleJob.Json)!;
        node["metadata"]!["labels"] = JsonNode.Parse("""{"team":"a","tier":"gold"}""");
        var a = JobJsonReader.Read(Encoding.UTF8.GetBytes(node.ToJsonString()), pool).Summary;
        node["metadata"]!["name"] = "other";
        var b = JobJsonReader.Read(Encoding.UTF8.GetBytes(node.ToJsonString()), pool).Summary;

        Assert.Equal("pytorch-test", a.Name);
        Assert.Equal(new ReplicaSummary(1, 0, 0, 0), a.Master);
        Assert.Same(a.Namespace, b.Namespace);
        Assert.Same(a.Labels, b.Labels);
        Assert.Same(a.Image, b.Image);
        Assert.Same(a.StateReason, b.StateReason);
    }

    [Theory]
    [InlineData("""{"apiVersion":"v1","items":[{"metadata":{"name":"a","labels":{"x":"\"metadata\""}}}],"kind":"L","metadata":{"continue":"c1","remainingItemCount":7,"resourceVersion":"42"}}""")]
    [InlineData("""{"metadata":{"resourceVersion":"42","continue":"c1","remainingItemCount":7},"items":[{"metadata":{"name":"a"}}]}""")]
    [InlineData("""{"items":[{"metadata":{"name":"a"}}],"metadata":{"resourceVersion":"42","continue":"c1","remainingItemCount":7},"kind":"L"} """)]
    [InlineData("""{"items":[{"metadata":{"name":"a"}}],"other":{"metadata":{"resourceVersion":"no"}},"metadata":{"resourceVersion":"42","continue":"c1","remainingItemCount":7}}""")]
    public void List_metadata_is_found_wherever_it_sits(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var page = ListPage.Read(body, body.Length);

        Assert.Equal("42", page.ResourceVersion);
        Assert.Equal("c1", page.ContinueToken);
        Assert.Equal(7, page.RemainingItemCount);
        Assert.Equal("a", Assert.Single(page.ReadJobs(null)).Summary.Name);
    }

    [Fact]
    public void Metadata_inside_the_last_item_is_not_taken_for_the_list_metadata()
    {
        var body = Encoding.UTF8.GetBytes("""{"kind":"L","items":[{"spec":{},"metadata":{"resourceVersion":"9","continue":"x"}}]}""");
        var page = ListPage.Read(body, body.Length);

        Assert.Null(page.ResourceVersion);
        Assert.Null(page.ContinueToken);
        Assert.Equal("9", Assert.Single(page.ReadJobs(null)).Summary.ResourceVersion);
    }

    private static void AssertSameJson(byte[] expected, byte[] actual)
    {
        // Byte-identical when nothing was dropped; otherwise the same JSON, whitespace aside.
        if (!expected.AsSpan().SequenceEqual(actual))
        {
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), Encoding.UTF8.GetString(actual));
        }
    }

    private static void AssertSameSummary(JobSummary expected, JobSummary actual)
    {
        Assert.Equal(expected with { Labels = actual.Labels }, actual);
        Assert.Equal(expected.Labels.ToList(), actual.Labels.ToList());
        Assert.Equal(expected.CreatedAt?.Offset, actual.CreatedAt?.Offset);
    }
}
