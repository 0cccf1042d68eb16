using System.Globalization;
using System.Text.Json.Nodes;
using Dashboard.Emulator.Scenario;

namespace Dashboard.Benchmarks.Infrastructure;

/// <summary>
/// Jobs of the original API page's example size: its PyTorchJob (<see cref="ExampleJob"/>) with a distinct name
/// and a few varied labels.
/// </summary>
internal static class BenchJobs
{
    private static readonly string[] Teams = ["vision", "nlp", "speech", "recsys"];
    private static readonly string[] Models = ["resnet50", "bert-base", "gpt2-small", "wav2vec2", "dlrm"];
    private static readonly string[] Priorities = ["high", "normal", "low"];

    public static string Name(int index) => "bench-job-" + index.ToString("D5", CultureInfo.InvariantCulture);

    public static JsonObject Job(string @namespace, int index)
    {
        var job = JsonNode.Parse(ExampleJob.Json)!.AsObject();
        var name = Name(index);

        // Server-assigned metadata (uid, resourceVersion, creationTimestamp, selfLink) is left to the emulator.
        job["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = @namespace,
            ["generation"] = 1,
            ["labels"] = new JsonObject
            {
                ["team"] = Teams[index % Teams.Length],
                ["model"] = Models[index % Models.Length],
                ["priority"] = Priorities[index % Priorities.Length],
                ["bench"] = "true",
            },
        };
        job["status"]!["conditions"]![0]!["message"] = $"PyTorchJob {name} is created.";
        return job;
    }

    public static JsonObject Status() => JsonNode.Parse(ExampleJob.Json)!["status"]!.DeepClone().AsObject();
}
