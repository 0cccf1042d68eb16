using System.Text;
using Dashboard.Emulator.Store;
using k8s;
using k8s.Models;

namespace Dashboard.Emulator.Discovery;

/// <summary>/version and the discovery documents kubectl reads before it touches a resource.</summary>
internal sealed class DiscoveryDocuments
{
    private readonly Dictionary<string, byte[]> _documents = new(StringComparer.Ordinal);

    public DiscoveryDocuments(bool withoutCrd, string serverAddress)
    {
        Add("/version", new VersionInfo
        {
            Major = "1",
            Minor = "32",
            GitVersion = "v1.32.0-emulator",
            GitCommit = "0000000000000000000000000000000000000000",
            GitTreeState = "clean",
            BuildDate = "2024-12-11T00:00:00Z",
            GoVersion = "go1.23.4",
            Compiler = "gc",
            Platform = "linux/amd64",
        });
        Add("/api", new V1APIVersions
        {
            Kind = "APIVersions",
            Versions = ["v1"],
            ServerAddressByClientCIDRs = [new V1ServerAddressByClientCIDR { ClientCIDR = "0.0.0.0/0", ServerAddress = serverAddress }],
        });
        Add("/api/v1", ResourceList("v1", ResourceKind.Namespaces, shortNames: ["ns"]));
        var groups = new V1APIGroupList { Kind = "APIGroupList", ApiVersion = "v1", Groups = [] };
        if (!withoutCrd)
        {
            var group = KubeflowGroup();
            groups.Groups.Add(group);
            Add("/apis/kubeflow.org", group);
            var jobs = ResourceList(PyTorchJobGroupVersion, ResourceKind.PyTorchJobs, shortNames: null);
            jobs.Resources.Add(new V1APIResource
            {
                Name = ResourceKind.PyTorchJobs.Plural + "/scale",
                SingularName = "",
                Namespaced = true,
                Group = "autoscaling",
                Version = "v1",
                Kind = "Scale",
                Verbs = ["get", "patch", "update"],
            });
            Add("/apis/kubeflow.org/v1", jobs);
        }

        Add("/apis", groups);
    }

    private static string PyTorchJobGroupVersion => ResourceKind.PyTorchJobs.ApiVersion;

    public byte[]? Find(string path) => _documents.GetValueOrDefault(path.TrimEnd('/') is { Length: > 0 } trimmed ? trimmed : path);

    private void Add(string path, object document) => _documents[path] = Encoding.UTF8.GetBytes(KubernetesJson.Serialize(document));

    private static V1APIGroup KubeflowGroup()
    {
        var version = new V1GroupVersionForDiscovery { GroupVersion = PyTorchJobGroupVersion, Version = ResourceKind.PyTorchJobs.Version };
        return new V1APIGroup
        {
            Kind = "APIGroup",
            ApiVersion = "v1",
            Name = ResourceKind.PyTorchJobs.Group,
            Versions = [version],
            PreferredVersion = version,
        };
    }

    private static V1APIResourceList ResourceList(string groupVersion, ResourceKind kind, IList<string>? shortNames, IList<string>? categories = null) => new()
    {
        Kind = "APIResourceList",
        ApiVersion = "v1",
        GroupVersion = groupVersion,
        Resources =
        [
            new V1APIResource
            {
                Name = kind.Plural,
                SingularName = kind.Singular,
                Namespaced = kind.IsNamespaced,
                Kind = kind.Kind,
                Verbs = ["create", "delete", "get", "list", "patch", "update", "watch"],
                ShortNames = shortNames,
                Categories = categories,
            },
            new V1APIResource
            {
                Name = kind.Plural + "/status",
                SingularName = "",
                Namespaced = kind.IsNamespaced,
                Kind = kind.Kind,
                Verbs = ["get", "patch", "update"],
            },
        ],
    };
}
