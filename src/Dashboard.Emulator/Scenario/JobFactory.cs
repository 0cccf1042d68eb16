using System.Globalization;
using Dashboard.Model.PyTorchJobs;
using k8s;
using k8s.Models;

namespace Dashboard.Emulator.Scenario;

/// <summary>Makes realistic PyTorchJobs (names, images, replicas, resources, labels, policies) from a seeded random source.</summary>
/// <param name="ttlBaseSeconds">the typical ttlSecondsAfterFinished, scaled to the scenario's pace so finished jobs are seen and then go.</param>
internal sealed class JobFactory(Random random, int ttlBaseSeconds)
{
    private sealed record ModelKind(string Prefix, string Model, string Domain, bool UsesGpu, string Script, string Dataset);

    private static readonly ModelKind[] Models =
    [
        new("bert-large-finetune", "bert-large", "nlp", true, "finetune.py", "squad-v2"),
        new("resnet50-imagenet", "resnet50", "vision", true, "train.py", "imagenet-1k"),
        new("llama-7b-sft", "llama-7b", "llm", true, "sft.py", "ultrachat-200k"),
        new("llama-13b-lora", "llama-13b", "llm", true, "lora.py", "oasst1"),
        new("mistral-7b-dpo", "mistral-7b", "llm", true, "dpo.py", "hh-rlhf"),
        new("gpt2-medium-pretrain", "gpt2-medium", "nlp", true, "pretrain.py", "openwebtext"),
        new("t5-base-summarize", "t5-base", "nlp", true, "train.py", "cnn-dailymail"),
        new("vit-b16-cifar100", "vit-b16", "vision", true, "train.py", "cifar-100"),
        new("yolov8-coco", "yolov8", "vision", true, "detect_train.py", "coco-2017"),
        new("whisper-small-asr", "whisper-small", "speech", true, "train_asr.py", "librispeech"),
        new("sd15-dreambooth", "sd-1.5", "vision", true, "dreambooth.py", "dreambooth-pets"),
        new("dlrm-criteo", "dlrm", "recsys", true, "dlrm_s_pytorch.py", "criteo-1tb"),
        new("mnist-cnn", "mnist-cnn", "platform", false, "mnist.py", "mnist"),
        new("xgb-tabular-baseline", "tabular-mlp", "recsys", false, "train.py", "tabular-events"),
    ];

    private static readonly string[] PublicGpuImages =
    [
        "pytorch/pytorch:2.3.0-cuda12.1-cudnn8-runtime",
        "pytorch/pytorch:2.1.2-cuda11.8-cudnn8-runtime",
        "nvcr.io/nvidia/pytorch:24.05-py3",
        "nvcr.io/nvidia/pytorch:23.10-py3",
    ];

    private static readonly string[] CpuImages =
    [
        "pytorch/pytorch:2.3.0-cpu",
        "docker.io/kubeflowkatib/pytorch-mnist-cpu:v1beta1-21320b6",
    ];

    private static readonly string[] GpuProducts = ["NVIDIA-A100-SXM4-80GB", "NVIDIA-H100-80GB-HBM3", "NVIDIA-L4", "Tesla-V100-SXM2-32GB"];
    private static readonly string[] Priorities = ["high", "medium", "low"];
    private static readonly string[] ManagedBy = ["kubectl", "kustomize", "kubeflow-pipelines", "argo-workflows"];
    private const string NameSuffixAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    private readonly Dictionary<string, int> _sequenceByPrefix = new(StringComparer.Ordinal);

    /// <summary>A new job without status, as a user's <c>kubectl apply</c> would create it.</summary>
    public PyTorchJob Create(string @namespace, string team, Func<string, bool> nameTaken)
    {
        var kind = Pick(Models);
        var name = UniqueName(kind, nameTaken);
        var elastic = random.NextDouble() < 0.2;
        var workers = elastic ? random.Next(2, 9) : PickWorkers(kind);
        var gpus = kind.UsesGpu ? Pick([1, 2, 4, 8]) : 0;
        var image = PickImage(kind, team);
        var experiment = Pick(["baseline", "lr-sweep", "ablation", "long-context", "mixed-precision", "repro"]) + "-" + random.Next(1, 60).ToString(CultureInfo.InvariantCulture);
        var priority = Pick(Priorities);

        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["team"] = team,
            ["model"] = kind.Model,
            ["experiment"] = experiment,
            ["priority"] = priority,
            ["app.kubernetes.io/name"] = kind.Prefix,
            ["app.kubernetes.io/part-of"] = kind.Domain + "-training",
            ["app.kubernetes.io/managed-by"] = Pick(ManagedBy),
        };
        if (random.NextDouble() < 0.3)
        {
            labels["app.kubernetes.io/version"] = "v" + random.Next(1, 5).ToString(CultureInfo.InvariantCulture) + "." + random.Next(0, 10).ToString(CultureInfo.InvariantCulture);
        }

        var masterTemplate = PodTemplate(kind, name, team, image, gpus, workers, elastic);
        var spec = new PyTorchJobSpec
        {
            PytorchReplicaSpecs = new Dictionary<string, ReplicaSpec>(StringComparer.Ordinal)
            {
                [ReplicaTypes.Master] = new()
                {
                    Replicas = 1,
                    RestartPolicy = Pick([RestartPolicies.OnFailure, RestartPolicies.OnFailure, RestartPolicies.Never, RestartPolicies.ExitCode]),
                    Template = masterTemplate,
                },
                [ReplicaTypes.Worker] = new()
                {
                    Replicas = workers,
                    RestartPolicy = Pick([RestartPolicies.OnFailure, RestartPolicies.OnFailure, RestartPolicies.ExitCode]),
                    // The same program on every replica: the worker template is a copy of the master's (without its annotations).
                    Template = WorkerTemplate(masterTemplate),
                },
            },
        };

        if (elastic)
        {
            var min = random.Next(1, workers + 1);
            spec.ElasticPolicy = new ElasticPolicy
            {
                RdzvBackend = "c10d",
                MinReplicas = min,
                MaxReplicas = Math.Min(16, workers + random.Next(0, 5)),
                MaxRestarts = random.Next(1, 6),
            };
            spec.NprocPerNode = gpus > 0 ? gpus.ToString(CultureInfo.InvariantCulture) : "auto";
        }
        else if (random.NextDouble() < 0.3)
        {
            spec.NprocPerNode = "auto";
        }

        if (random.NextDouble() < 0.7)
        {
            spec.RunPolicy = RunPolicy(team, priority, workers, gpus);
        }

        return new PyTorchJob
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = @namespace,
                Labels = labels,
                Uid = NewUid(),
            },
            Spec = spec,
        };
    }

    /// <summary>Deterministic (seeded) RFC 4122 version-4 style uid, so one seed gives identical objects.</summary>
    public string NewUid()
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes).ToString();
    }

    private RunPolicy RunPolicy(string team, string priority, int workers, int gpus)
    {
        var policy = new RunPolicy
        {
            CleanPodPolicy = Pick(["None", "Running", "All"]),
            // Short TTLs so a demo shows finished jobs disappearing.
            TtlSecondsAfterFinished = random.NextDouble() < 0.8 ? ttlBaseSeconds * Pick([1, 2, 3, 4]) / 2 : null,
            BackoffLimit = random.NextDouble() < 0.6 ? random.Next(1, 7) : null,
        };
        if (random.NextDouble() < 0.15)
        {
            policy.ActiveDeadlineSeconds = Pick([600L, 1800L, 3600L, 86400L]);
        }

        if (random.NextDouble() < 0.4)
        {
            policy.SchedulingPolicy = new SchedulingPolicy
            {
                Queue = Pick(["default", team + "-queue", gpus > 0 ? "gpu-queue" : "cpu-queue"]),
                PriorityClass = priority + "-priority",
                MinAvailable = workers + 1,
            };
            if (gpus > 0 && random.NextDouble() < 0.5)
            {
                policy.SchedulingPolicy.MinResources = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal)
                {
                    ["nvidia.com/gpu"] = new((gpus * (workers + 1)).ToString(CultureInfo.InvariantCulture)),
                    ["cpu"] = new((8 * (workers + 1)).ToString(CultureInfo.InvariantCulture)),
                };
            }
        }

        return policy;
    }

    private static V1PodTemplateSpec WorkerTemplate(V1PodTemplateSpec master)
    {
        var copy = KubernetesJson.Deserialize<V1PodTemplateSpec>(KubernetesJson.Serialize(master));
        copy.Metadata = null;
        return copy;
    }

    private V1PodTemplateSpec PodTemplate(ModelKind kind, string jobName, string team, string image, int gpus, int workers, bool elastic)
    {
        var container = new V1Container
        {
            Name = "pytorch",
            Image = image,
            ImagePullPolicy = random.NextDouble() < 0.5 ? "IfNotPresent" : null,
            Ports = [new V1ContainerPort { Name = "pytorchjob-port", ContainerPort = 23456 }],
            Resources = Resources(gpus),
            Env = Env(kind, team),
        };

        var epochs = random.Next(1, 100).ToString(CultureInfo.InvariantCulture);
        var batch = Pick(["16", "32", "64", "128", "256"]);
        if (elastic || random.NextDouble() < 0.5)
        {
            container.Command = ["torchrun"];
            container.Args =
            [
                "--nproc_per_node=" + (gpus > 0 ? gpus.ToString(CultureInfo.InvariantCulture) : "1"),
                elastic ? $"--nnodes=1:{workers + 1}" : "--nnodes=" + (workers + 1).ToString(CultureInfo.InvariantCulture),
                "/workspace/" + kind.Script,
                "--epochs", epochs,
                "--batch-size", batch,
                "--output-dir", "/checkpoints/" + jobName,
            ];
        }
        else
        {
            container.Command = ["python", kind.Script];
            container.Args = ["--epochs", epochs, "--batch-size", batch, "--backend", gpus > 0 ? "nccl" : "gloo", "--data", "/data/" + kind.Dataset];
        }

        var podSpec = new V1PodSpec { Containers = [container] };

        if (image.StartsWith("registry.example.com/", StringComparison.Ordinal) || image.StartsWith("nvcr.io/", StringComparison.Ordinal) || random.NextDouble() < 0.2)
        {
            podSpec.ImagePullSecrets = [new V1LocalObjectReference { Name = image.StartsWith("nvcr.io/", StringComparison.Ordinal) ? "ngc-secret" : "regcred" }];
        }

        if (gpus > 0)
        {
            podSpec.NodeSelector = new Dictionary<string, string>(StringComparer.Ordinal) { ["nvidia.com/gpu.product"] = Pick(GpuProducts) };
            podSpec.Tolerations = [new V1Toleration { Key = "nvidia.com/gpu", OperatorProperty = "Exists", Effect = "NoSchedule" }];
        }
        else if (random.NextDouble() < 0.3)
        {
            podSpec.NodeSelector = new Dictionary<string, string>(StringComparer.Ordinal) { ["node.kubernetes.io/instance-type"] = Pick(["c6i.4xlarge", "m6i.8xlarge"]) };
        }

        if (gpus > 0 || random.NextDouble() < 0.4)
        {
            podSpec.Volumes =
            [
                new V1Volume { Name = "dshm", EmptyDir = new V1EmptyDirVolumeSource { Medium = "Memory", SizeLimit = new ResourceQuantity(gpus > 0 ? "16Gi" : "2Gi") } },
                new V1Volume { Name = "datasets", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = "datasets-" + team, ReadOnlyProperty = true } },
                new V1Volume { Name = "checkpoints", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = "checkpoints-" + team } },
            ];
            container.VolumeMounts =
            [
                new V1VolumeMount { Name = "dshm", MountPath = "/dev/shm" },
                new V1VolumeMount { Name = "datasets", MountPath = "/data", ReadOnlyProperty = true },
                new V1VolumeMount { Name = "checkpoints", MountPath = "/checkpoints" },
            ];
        }

        var template = new V1PodTemplateSpec { Spec = podSpec };
        if (random.NextDouble() < 0.3)
        {
            template.Metadata = new V1ObjectMeta
            {
                Annotations = new Dictionary<string, string>(StringComparer.Ordinal) { ["sidecar.istio.io/inject"] = "false" },
            };
        }

        return template;
    }

    private V1ResourceRequirements Resources(int gpus)
    {
        Dictionary<string, ResourceQuantity> Quantities(string cpu, string memory)
        {
            var quantities = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal)
            {
                ["cpu"] = new(cpu),
                ["memory"] = new(memory),
            };
            if (gpus > 0)
            {
                quantities["nvidia.com/gpu"] = new(gpus.ToString(CultureInfo.InvariantCulture));
            }

            return quantities;
        }

        if (gpus > 0)
        {
            var cpu = (gpus * Pick([4, 8, 12])).ToString(CultureInfo.InvariantCulture);
            var memory = (gpus * Pick([16, 32, 60])).ToString(CultureInfo.InvariantCulture) + "Gi";
            return new V1ResourceRequirements { Requests = Quantities(random.NextDouble() < 0.3 ? "7500m" : cpu, memory), Limits = Quantities(cpu, memory) };
        }

        var cpuOnly = Pick(["500m", "1", "2", "4"]);
        var memoryOnly = Pick(["2Gi", "4Gi", "8Gi", "4096Mi"]);
        return new V1ResourceRequirements { Requests = Quantities(cpuOnly, memoryOnly), Limits = Quantities(cpuOnly, memoryOnly) };
    }

    private List<V1EnvVar> Env(ModelKind kind, string team)
    {
        var env = new List<V1EnvVar>
        {
            new() { Name = "NCCL_DEBUG", Value = Pick(["INFO", "WARN"]) },
            new() { Name = "OMP_NUM_THREADS", Value = Pick(["1", "4", "8"]) },
            new() { Name = "WANDB_PROJECT", Value = team + "-" + kind.Model },
        };
        if (random.NextDouble() < 0.6)
        {
            env.Add(new V1EnvVar
            {
                Name = kind.Domain == "llm" ? "HF_TOKEN" : "WANDB_API_KEY",
                ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = kind.Domain == "llm" ? "hf-credentials" : "wandb", Key = kind.Domain == "llm" ? "token" : "api-key" } },
            });
        }

        if (random.NextDouble() < 0.5)
        {
            env.Add(new V1EnvVar
            {
                Name = "DATASET_URI",
                ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = kind.Prefix + "-config", Key = "dataset-uri" } },
            });
        }

        return env;
    }

    private string PickImage(ModelKind kind, string team)
    {
        if (!kind.UsesGpu)
        {
            return Pick(CpuImages);
        }

        return random.NextDouble() < 0.35
            ? $"registry.example.com/{team}/{kind.Model.Replace('.', '-')}-train:{Pick(["v1.2.0", "v1.3.1", "2024.06.1", "sha-3f9a2c1"])}"
            : Pick(PublicGpuImages);
    }

    private int PickWorkers(ModelKind kind) =>
        !kind.UsesGpu ? random.Next(1, 5) : Pick([1, 1, 2, 2, 3, 4, 4, 7, 8, 15, 16]);

    private string UniqueName(ModelKind kind, Func<string, bool> nameTaken)
    {
        while (true)
        {
            var name = random.Next(3) switch
            {
                0 => kind.Prefix + "-" + RandomText(4),
                1 => kind.Prefix + "-" + NextSequence(kind.Prefix).ToString(CultureInfo.InvariantCulture),
                _ => kind.Prefix + "-" + (char)('a' + random.Next(26)) + random.Next(1, 10).ToString(CultureInfo.InvariantCulture),
            };
            if (!nameTaken(name))
            {
                return name;
            }
        }
    }

    private int NextSequence(string prefix)
    {
        _sequenceByPrefix.TryGetValue(prefix, out var last);
        _sequenceByPrefix[prefix] = last + 1;
        return last + 1;
    }

    private string RandomText(int length)
    {
        Span<char> chars = stackalloc char[length];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = NameSuffixAlphabet[random.Next(NameSuffixAlphabet.Length)];
        }

        return new string(chars);
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
