using Dashboard.Emulator.Store;

namespace Dashboard.Emulator.Api;

/// <summary>A request path naming a served resource: its kind, namespace, object name and subresource.</summary>
internal sealed record ResourceRoute(ResourceKind Kind, string? Namespace, string? Name, string? Subresource)
{
    public bool IsCollection => Name is null;

    /// <summary>The namespace key of the request statistics: the namespace, or "*" for the cluster-wide path.</summary>
    public string StatsKey => Namespace ?? "*";

    /// <summary>Matches /apis/kubeflow.org/v1/[namespaces/NS/]pytorchjobs[/NAME[/SUB]] and /api/v1/namespaces[/NAME[/SUB]].</summary>
    public static ResourceRoute? Match(string path)
    {
        var segments = path.Trim('/').Split('/');
        if (segments is ["apis", var group, var version, .. var rest] && group == ResourceKind.PyTorchJobs.Group && version == ResourceKind.PyTorchJobs.Version)
        {
            return rest switch
            {
                ["pytorchjobs"] => new ResourceRoute(ResourceKind.PyTorchJobs, null, null, null),
                ["namespaces", var ns, "pytorchjobs"] => new ResourceRoute(ResourceKind.PyTorchJobs, ns, null, null),
                ["namespaces", var ns, "pytorchjobs", var name] => new ResourceRoute(ResourceKind.PyTorchJobs, ns, name, null),
                ["namespaces", var ns, "pytorchjobs", var name, "status" or "scale"] => new ResourceRoute(ResourceKind.PyTorchJobs, ns, name, rest[^1]),
                _ => null,
            };
        }

        return segments switch
        {
            ["api", "v1", "namespaces"] => new ResourceRoute(ResourceKind.Namespaces, null, null, null),
            ["api", "v1", "namespaces", var name] => new ResourceRoute(ResourceKind.Namespaces, null, name, null),
            ["api", "v1", "namespaces", var name, "status"] => new ResourceRoute(ResourceKind.Namespaces, null, name, "status"),
            _ => null,
        };
    }

    /// <summary>Whether the path is under the kubeflow.org group (all 404 when the CRD is not installed).</summary>
    public static bool IsUnderCrdGroup(string path) =>
        path.StartsWith("/apis/kubeflow.org", StringComparison.Ordinal) || path.StartsWith("/openapi/v3/apis/kubeflow.org", StringComparison.Ordinal);
}
