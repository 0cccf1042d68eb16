using Dashboard.Model.PyTorchJobs;
using k8s.Models;

namespace Dashboard.Emulator.Store;

/// <summary>What the emulator serves of one resource type.</summary>
public sealed class ResourceKind
{
    public static readonly ResourceKind PyTorchJobs = new(
        PyTorchJob.KubeGroup, PyTorchJob.KubeVersion, PyTorchJob.KubeKind, PyTorchJob.KubeListKind,
        PyTorchJob.KubePlural, PyTorchJob.KubeSingular, Namespaced: true, typeof(PyTorchJob), HasGeneration: true);

    public static readonly ResourceKind Namespaces = new(
        "", "v1", V1Namespace.KubeKind, "NamespaceList", "namespaces", "namespace", Namespaced: false, typeof(V1Namespace), HasGeneration: false);

    private ResourceKind(string group, string version, string kind, string listKind, string plural, string singular,
        bool Namespaced, Type clrType, bool HasGeneration)
    {
        Group = group;
        Version = version;
        Kind = kind;
        ListKind = listKind;
        Plural = plural;
        Singular = singular;
        IsNamespaced = Namespaced;
        ClrType = clrType;
        TracksGeneration = HasGeneration;
    }

    public string Group { get; }
    public string Version { get; }
    public string Kind { get; }
    public string ListKind { get; }
    public string Plural { get; }
    public string Singular { get; }
    public bool IsNamespaced { get; }
    public Type ClrType { get; }
    public bool TracksGeneration { get; }

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>"pytorchjobs.kubeflow.org", or "namespaces" for the core group: how error messages name it.</summary>
    public string QualifiedResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    /// <summary>The store key: "namespace/name" for namespaced kinds (so one namespace is one contiguous range), else the name.</summary>
    public string KeyOf(string? @namespace, string name) => IsNamespaced ? $"{@namespace}/{name}" : name;

    /// <summary>The first key of a namespace's range (every key of that namespace starts with it).</summary>
    public string KeyPrefix(string? @namespace) => IsNamespaced && !string.IsNullOrEmpty(@namespace) ? @namespace + "/" : "";
}
