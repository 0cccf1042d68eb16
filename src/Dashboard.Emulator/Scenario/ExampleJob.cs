using Dashboard.Model.PyTorchJobs;
using k8s;

namespace Dashboard.Emulator.Scenario;

/// <summary>The job of the original API page's example response (shared/reference/pytorchjob-list-example.json),
/// part of the default data exactly as given: same resourceVersion, uid, timestamps, bare-number <c>"cpu": 2</c>
/// and deprecated <c>selfLink</c>.</summary>
public static class ExampleJob
{
    public const string Namespace = "kube-test";
    public const string Name = "pytorch-test";

    /// <summary>The item of the example list response, verbatim.</summary>
    public const string Json = """
        {
          "apiVersion": "kubeflow.org/v1",
          "kind": "PyTorchJob",
          "metadata": {
            "creationTimestamp": "2019-07-24T10:29:45Z",
            "generation": 1,
            "name": "pytorch-test",
            "namespace": "kube-test",
            "resourceVersion": "72516798",
            "selfLink": "/apis/kubeflow.org/v1/namespaces/kube-test/pytorchjobs/pytorch-test",
            "uid": "f4c79668-adfd-11e9-8041-340a9837e2a7"
          },
          "spec": {
            "pytorchReplicaSpecs": {
              "Master": {
                "replicas": 1,
                "restartPolicy": "Never",
                "template": {
                  "spec": {
                    "containers": [
                      {
                        "args": [
                          "--backend",
                          "gloo"
                        ],
                        "command": [
                          "python",
                          "/var/mnist.py"
                        ],
                        "image": "*.*.*.215:20202/gcs/pytorch-cpu:v1",
                        "name": "pytorch",
                        "resources": {
                          "limits": {
                            "cpu": 2,
                            "memory": "4Gi"
                          },
                          "requests": {
                            "cpu": 2,
                            "memory": "4Gi"
                          }
                        }
                      }
                    ],
                    "imagePullSecrets": [
                      {
                        "name": "imagepull-secret"
                      }
                    ]
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
                        "args": [
                          "--backend",
                          "gloo"
                        ],
                        "command": [
                          "python",
                          "/var/mnist.py"
                        ],
                        "image": "*.*.*.215:20202/gcs/pytorch-cpu:v1",
                        "name": "pytorch",
                        "resources": {
                          "limits": {
                            "cpu": 2,
                            "memory": "4Gi"
                          },
                          "requests": {
                            "cpu": 2,
                            "memory": "4Gi"
                          }
                        }
                      }
                    ],
                    "imagePullSecrets": [
                      {
                        "name": "imagepull-secret"
                      }
                    ]
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
            "replicaStatuses": {
              "Master": {}
            },
            "startTime": "2019-07-24T10:30:34Z"
          }
        }
        """;

    /// <summary>A fresh copy of the example job each call (callers may mutate it).</summary>
    public static PyTorchJob Create() =>
        KubernetesJson.Deserialize<PyTorchJob>(Json)
        ?? throw new InvalidOperationException("The example job JSON is empty.");
}
