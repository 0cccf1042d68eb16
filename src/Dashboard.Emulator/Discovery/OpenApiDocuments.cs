using System.Text;
using System.Text.Json.Nodes;

namespace Dashboard.Emulator.Discovery;

/// <summary>
/// OpenAPI v3: the index (/openapi/v3) and the kubeflow.org/v1 document, enough for kubectl to find the
/// PyTorchJob schema and learn that the server validates fields itself (the fieldValidation parameter).
/// </summary>
internal sealed class OpenApiDocuments
{
    private const string GroupVersionPath = "/openapi/v3/apis/kubeflow.org/v1";
    private const string Hash = "emulator1";
    private readonly Dictionary<string, byte[]> _documents = new(StringComparer.Ordinal);

    public OpenApiDocuments(bool withoutCrd)
    {
        var paths = new JsonObject();
        if (!withoutCrd)
        {
            paths["apis/kubeflow.org/v1"] = new JsonObject { ["serverRelativeURL"] = $"{GroupVersionPath}?hash={Hash}" };
            _documents[GroupVersionPath] = Encoding.UTF8.GetBytes(OpenApiSchema.KubeflowDocument().ToJsonString());
        }

        _documents["/openapi/v3"] = Encoding.UTF8.GetBytes(new JsonObject { ["paths"] = paths }.ToJsonString());
    }

    public byte[]? Find(string path) => _documents.GetValueOrDefault(path.TrimEnd('/'));
}
