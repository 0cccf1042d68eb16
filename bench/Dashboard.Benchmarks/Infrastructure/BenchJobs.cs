using System.Globalization;
using System.Text.Json.Nodes;

namespace Dashboard.Benchmarks.Infrastructure;

/// <summary>
/// Jobs of the original API page's example size: its PyTorchJob (shared/reference/pytorchjob-list-example.json)
/// with a distinct name and a few varied labels. Server-assigned metadata is left to the emulator.
/// </summary>
internal static class BenchJobs
{
    private const string ExampleJob = """
        {
          "apiVersion": "kubeflow.org/v1",
          "kind": "PyTorchJob",
          "metadata": { "name": "pytorch-test", "namespace": "kube-test", "generation": 1 },
          "spec": {
            "pytorchReplicaSpecs": {
              "Master": {
                "replicas": 1,
                "restartPolicy": "Never",
                "template": {
                  "spec": {
                    "containers": [
                      {
                        "args": ["--backend", "gloo"],
                        "command": ["python", "/var/mnist.py"],
                        "image": "*.*.*.215:20202/gcs/pytorch-cpu:v1",
                        "name": "pytorch",
                        "resources": { "limits": { "cpu": 2, "memory": "4Gi" }, "requests": { "cpu": 2, "memory": "4Gi" } }
                      }
                    ],
                    "imagePullSecrets": [{ "name": "imagepull-secret" }]
                  }
                }
              },
              "Worker": {
                "replicas": 1,
                "restartPolicy": "OnFailure",
                "template": {
                  "spec": {
                    "containers": [
                      {
                        "args": ["--backend", "gloo"],
                        "command": ["python", "/var/mnist.py"],
                        "image": "*.*.*.215:20202/gcs/pytorch-cpu:v1",
                        "name": "pytorch",
                        "resources": { "limits": { "cpu": 2, "memory": "4Gi" }, "requests": { "cpu": 2, "memory": "4Gi" } }
                      }
                    ],
                    "imagePullSecrets": [{ "name": "imagepull-secret" }]
                  }
                }
              }
            }
          },
          "status": {
            "conditions": [
              {
                "lastTransitionTime": "2019-07-24T10:30:34Z",
                "lastUpdateTime": "2019-07-24T10:30:34Z",
                "message": "PyTorchJob pytorch-test is created.",
                "reason": "PyTorchJobCreated",
                "status": "True",
                "type": "Created"
              }
            ],
            "replicaStatuses": { "Master": {} },
            "startTime": "2019-07-24T10:30:34Z"
          }
        }
        """;

    private static readonly string[] Teams = ["vision", "nlp", "speech", "recsys"];
    private static readonly string[] Models = ["resnet50", "bert-base", "gpt2-small", "wav2vec2", "dlrm"];
    private static readonly string[] Priorities = ["high", "normal", "low"];

    public static string Name(int index) => "bench-job-" + index.ToString("D5", CultureInfo.InvariantCulture);

    public static JsonObject Job(string @namespace, int index)
    {
        var job = JsonNode.Parse(ExampleJob)!.AsObject();
        var name = Name(index);
        var metadata = job["metadata"]!.AsObject();
        metadata["name"] = name;
        metadata["namespace"] = @namespace;
        metadata["labels"] = new JsonObject
        {
            ["team"] = Teams[index % Teams.Length],
            ["model"] = Models[index % Models.Length],
            ["priority"] = Priorities[index % Priorities.Length],
            ["bench"] = "true",
        };
        job["status"]!["conditions"]![0]!["message"] = $"PyTorchJob {name} is created.";
        return job;
    }

    public static JsonObject Status() => JsonNode.Parse(ExampleJob)!["status"]!.DeepClone().AsObject();
}
