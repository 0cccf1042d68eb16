using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dashboard.Emulator.Scenario;
using Dashboard.Kubernetes.Cache;
using Dashboard.Kubernetes.Query;
using Dashboard.Kubernetes.Sync;

namespace Dashboard.Kubernetes.Tests.Cache;

/// <summary>
/// The list path reads jobs out of a page buffer that the next page then overwrites: each job must keep its own
/// exact bytes (the full object, managedFields aside), whatever its subtrees contain.
/// </summary>
public sealed class JobJsonReaderPageBufferTests
{
    // A replica template full of what a careless scanner trips on: braces, brackets and quotes inside strings,
    // escapes (including an escaped backslash right before a closing quote), nested arrays, unicode escapes.
    private const string TrickyTemplate = """
        {"metadata":{"annotations":{"a":"}{][","b":"\"}","c":"\\","d":"\\\"]"}},
         "spec":{"containers":[{"args":["--x={\"k\":[1,[2,[3]]]}","]]}}","\u007b"],"command":[["nested",["deeper",{"x":"}"}]]],
                 "image":"registry.local/team/{app}:v\"2\"","env":[{"name":"E","value":"[{\"}]"}]},
                 {"image":"second:1"}],
                 "volumes":[[],[[]],{},{"x":[{}]}]}}
        """;

    [Fact]
    public void Jobs_keep_their_own_bytes_after_the_page_buffer_is_reused()
    {
        var jobs = Enumerable.Range(0, 3).Select(i => TrickyJob($"job-{i}", withManagedFields: i == 1)).ToList();
        var page = Encoding.UTF8.GetBytes($$$"""{"apiVersion":"kubeflow.org/v1","items":[{{{string.Join(",", jobs)}}}],"kind":"PyTorchJobList","metadata":{"resourceVersion":"7"}}""");

        var read = ListPage.Read(page, page.Length).ReadJobs(new StringPool());
        var withoutManagedFields = JobJson.CompactBytes(JsonDocument.Parse(jobs[1]).RootElement);
        Array.Fill(page, (byte)'x');

        Assert.Equal(3, read.Count);
        Assert.Equal(["job-0", "job-1", "job-2"], read.Select(j => j.Summary.Name));

        // Byte-identical to the source where nothing was dropped; the same JSON minus managedFields where it was.
        Assert.Equal(Encoding.UTF8.GetBytes(jobs[0]), read[0].Json);
        Assert.Equal(Encoding.UTF8.GetBytes(jobs[2]), read[2].Json);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(withoutManagedFields), JsonNode.Parse(read[1].Json)));
        Assert.DoesNotContain("managedFields", Encoding.UTF8.GetString(read[1].Json), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_template_with_tricky_strings_and_nested_arrays_reads_as_the_JsonElement_mapper_maps_it(bool withManagedFields)
    {
        var json = TrickyJob("tricky", withManagedFields);
        using var document = JsonDocument.Parse(json);

        var (summary, bytes) = JobJsonReader.Read(Encoding.UTF8.GetBytes(json), new StringPool());
        var expected = JobSummaryMapper.FromJson(document.RootElement, new StringPool());

        Assert.Equal(expected with { Labels = summary.Labels }, summary);
        Assert.Equal(expected.Labels.ToList(), summary.Labels.ToList());
        Assert.Equal("registry.local/team/{app}:v\"2\"", summary.Image);
        Assert.Equal(new ReplicaSummary(3, 2, 0, 0), summary.Worker);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(JobJson.CompactBytes(document.RootElement)), JsonNode.Parse(bytes)));
        if (!withManagedFields)
        {
            Assert.Equal(Encoding.UTF8.GetBytes(json), bytes);
        }
    }

    [Fact]
    public void Label_sets_seen_before_are_shared_by_their_text_and_new_text_is_read_afresh()
    {
        var pool = new StringPool();
        IReadOnlyDictionary<string, string> Labels(string labelsJson) =>
            JobJsonReader.Read(Encoding.UTF8.GetBytes($$$"""{"metadata":{"name":"a","labels":{{{labelsJson}}}}}"""), pool).Summary.Labels;

        var first = Labels("""{"team":"a","tier":"gold"}""");
        var again = Labels("""{"team":"a","tier":"gold"}""");
        var escaped = Labels("""{"team":"a","tier":"gold"}""");
        var otherValue = Labels("""{"team":"a","tier":"silver"}""");
        var nonString = Labels("""{"team":"a","n":5,"tier":"gold"}""");

        Assert.Same(first, again);
        Assert.Same(first, escaped);
        Assert.Same(first, nonString);
        Assert.Equal([new("team", "a"), new("tier", "silver")], otherValue.ToList());
        Assert.Equal([new KeyValuePair<string, string>("team", "a"), new("tier", "gold")], first.ToList());
    }

    /// <summary>The reference example with both replica templates replaced by the tricky one, compact.</summary>
    private static string TrickyJob(string name, bool withManagedFields)
    {
        var node = JsonNode.Parse(ExampleJob.Json)!;
        node["metadata"]!["name"] = name;
        if (withManagedFields)
        {
            node["metadata"]!["managedFields"] = JsonNode.Parse("""[{"manager":"m","fieldsV1":{"f:spec":{"f:x":{"}":"{"}}}}]""");
        }

        var specs = node["spec"]!["pytorchReplicaSpecs"]!;
        specs["Master"]!["template"] = JsonNode.Parse(TrickyTemplate);
        specs["Worker"]!["template"] = JsonNode.Parse(TrickyTemplate);
        specs["Worker"]!["replicas"] = 3;
        node["status"]!["replicaStatuses"] = JsonNode.Parse("""{"Worker":{"active":2}}""");
        return node.ToJsonString();
    }
}
