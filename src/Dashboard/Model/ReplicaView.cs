using Dashboard.Model.PyTorchJobs;
using k8s.Models;

namespace Dashboard.Model;

public sealed record EnvVarView(string Name, string? Value, string? Reference);

public sealed record ResourceView(string Name, string? Request, string? Limit, bool IsGpu);

public sealed record ContainerView(
    string Name,
    string? Image,
    string? ImagePullPolicy,
    IReadOnlyList<string> Command,
    IReadOnlyList<string> Args,
    string? WorkingDir,
    IReadOnlyList<EnvVarView> Env,
    IReadOnlyList<string> EnvFrom,
    IReadOnlyList<ResourceView> Resources,
    IReadOnlyList<string> Ports,
    IReadOnlyList<string> VolumeMounts,
    bool IsInit);

/// <summary>One replica type (Master or Worker) as the detail page shows it. Built once per job state.</summary>
public sealed record ReplicaView(
    string ReplicaType,
    int? Replicas,
    string? RestartPolicy,
    int Active,
    int Succeeded,
    int Failed,
    IReadOnlyList<ContainerView> Containers,
    IReadOnlyDictionary<string, string> NodeSelector,
    IReadOnlyList<string> Tolerations,
    IReadOnlyList<string> ImagePullSecrets,
    IReadOnlyList<string> Volumes,
    string? ServiceAccountName,
    string? PodSelector)
{
    /// <summary>Whether the operator reported this replica type's counts at all (else the zeros mean nothing).</summary>
    public bool StatusReported { get; init; } = true;

    public static IReadOnlyList<ReplicaView> FromJob(PyTorchJob job)
    {
        var specs = job.Spec?.PytorchReplicaSpecs ?? new Dictionary<string, ReplicaSpec>();
        var statuses = job.Status?.ReplicaStatuses ?? new Dictionary<string, ReplicaStatus>();

        // Master first, then Worker, then anything else the operator may add.
        var types = specs.Keys.Concat(statuses.Keys).Distinct(StringComparer.Ordinal)
            .OrderBy(t => t == ReplicaTypes.Master ? 0 : t == ReplicaTypes.Worker ? 1 : 2)
            .ThenBy(t => t, StringComparer.Ordinal);

        return [.. types.Select(t => From(t, specs.TryGetValue(t, out var s) ? s : null, statuses.TryGetValue(t, out var st) ? st : null))];
    }

    public static ReplicaView From(string replicaType, ReplicaSpec? spec, ReplicaStatus? status)
    {
        var pod = spec?.Template?.Spec;
        var containers = (pod?.InitContainers ?? []).Select(c => Container(c, isInit: true))
            .Concat((pod?.Containers ?? []).Select(c => Container(c, isInit: false)));
        return new ReplicaView(
            replicaType,
            spec?.Replicas,
            spec?.RestartPolicy,
            status?.Active ?? 0,
            status?.Succeeded ?? 0,
            status?.Failed ?? 0,
            [.. containers],
            pod?.NodeSelector is { } ns ? new Dictionary<string, string>(ns) : new Dictionary<string, string>(),
            [.. (pod?.Tolerations ?? []).Select(Toleration)],
            [.. (pod?.ImagePullSecrets ?? []).Select(s => s.Name ?? "")],
            [.. (pod?.Volumes ?? []).Select(Volume)],
            pod?.ServiceAccountName,
            status?.Selector)
        {
            StatusReported = status is not null,
        };
    }

    private static ContainerView Container(V1Container c, bool isInit) => new(
        c.Name ?? "",
        c.Image,
        c.ImagePullPolicy,
        [.. c.Command ?? []],
        [.. c.Args ?? []],
        c.WorkingDir,
        [.. (c.Env ?? []).Select(Env)],
        [.. (c.EnvFrom ?? []).Select(EnvFrom)],
        Resources(c.Resources),
        [.. (c.Ports ?? []).Select(p => $"{(p.Name is { Length: > 0 } n ? n + " " : "")}{p.ContainerPort}/{p.Protocol ?? "TCP"}")],
        [.. (c.VolumeMounts ?? []).Select(m => $"{m.Name} → {m.MountPath}{(m.ReadOnlyProperty == true ? " (read-only)" : "")}{(m.SubPath is { Length: > 0 } sp ? " subPath " + sp : "")}")],
        isInit);

    /// <summary>A value from a secret or config map is shown as where it comes from, never resolved.</summary>
    public static EnvVarView Env(V1EnvVar env)
    {
        var from = env.ValueFrom;
        string? reference = from switch
        {
            { SecretKeyRef: { } s } => $"secret {s.Name} / key {s.Key}",
            { ConfigMapKeyRef: { } m } => $"config map {m.Name} / key {m.Key}",
            { FieldRef: { } f } => $"field {f.FieldPath}",
            { ResourceFieldRef: { } r } => $"resource {r.Resource}" + (r.ContainerName is { Length: > 0 } cn ? $" of {cn}" : ""),
            not null => "reference",
            null => null,
        };
        return new EnvVarView(env.Name, reference is null ? env.Value : null, reference);
    }

    private static string EnvFrom(V1EnvFromSource source) =>
        (source.SecretRef is { } s ? $"all keys of secret {s.Name}" : source.ConfigMapRef is { } m ? $"all keys of config map {m.Name}" : "reference")
        + (source.Prefix is { Length: > 0 } p ? $" (prefix {p})" : "");

    private static IReadOnlyList<ResourceView> Resources(V1ResourceRequirements? resources)
    {
        var requests = resources?.Requests ?? new Dictionary<string, ResourceQuantity>();
        var limits = resources?.Limits ?? new Dictionary<string, ResourceQuantity>();
        return
        [
            .. requests.Keys.Concat(limits.Keys).Distinct(StringComparer.Ordinal)
                .OrderBy(k => IsGpu(k) ? 0 : 1).ThenBy(k => k, StringComparer.Ordinal)
                .Select(k => new ResourceView(
                    k,
                    requests.TryGetValue(k, out var r) ? r?.ToString() : null,
                    limits.TryGetValue(k, out var l) ? l?.ToString() : null,
                    IsGpu(k))),
        ];
    }

    public static bool IsGpu(string resourceName) => resourceName.Contains("gpu", StringComparison.OrdinalIgnoreCase);

    private static string Toleration(V1Toleration t)
    {
        var what = t.OperatorProperty == "Exists" ? $"{t.Key} exists" : $"{t.Key}={t.Value}";
        if (string.IsNullOrEmpty(t.Key))
        {
            what = "everything";
        }

        return what + (t.Effect is { Length: > 0 } e ? $" : {e}" : "") + (t.TolerationSeconds is { } s ? $" for {s}s" : "");
    }

    private static string Volume(V1Volume v)
    {
        var source = v switch
        {
            { PersistentVolumeClaim: { } c } => $"PVC {c.ClaimName}",
            { Secret: { } s } => $"secret {s.SecretName}",
            { ConfigMap: { } m } => $"config map {m.Name}",
            { EmptyDir: { } e } => "emptyDir" + (e.Medium is { Length: > 0 } med ? $" ({med})" : ""),
            { HostPath: { } h } => $"hostPath {h.Path}",
            { Nfs: { } n } => $"NFS {n.Server}:{n.Path}",
            _ => "other",
        };
        return $"{v.Name}: {source}";
    }
}
