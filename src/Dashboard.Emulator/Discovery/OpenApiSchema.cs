using System.Text.Json.Nodes;

namespace Dashboard.Emulator.Discovery;

/// <summary>The kubeflow.org/v1 OpenAPI v3 document: PyTorchJob's schema (spec and status open, as a
/// structural CRD schema with preserved fields) and its paths with the parameters kubectl looks for.</summary>
internal static class OpenApiSchema
{
    private const string JobSchema = "org.kubeflow.v1.PyTorchJob";
    private const string ListSchema = "org.kubeflow.v1.PyTorchJobList";

    public static JsonObject KubeflowDocument() => new()
    {
        ["openapi"] = "3.0.0",
        ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.0" },
        ["paths"] = new JsonObject
        {
            ["/apis/kubeflow.org/v1/namespaces/{namespace}/pytorchjobs"] = new JsonObject
            {
                ["parameters"] = Parameters("namespace"),
                ["get"] = Operation("listKubeflowOrgV1NamespacedPyTorchJob", "list", ListSchema),
                ["post"] = Operation("createKubeflowOrgV1NamespacedPyTorchJob", "post", JobSchema, withFieldValidation: true),
            },
            ["/apis/kubeflow.org/v1/namespaces/{namespace}/pytorchjobs/{name}"] = new JsonObject
            {
                ["parameters"] = Parameters("namespace", "name"),
                ["get"] = Operation("readKubeflowOrgV1NamespacedPyTorchJob", "get", JobSchema),
                ["put"] = Operation("replaceKubeflowOrgV1NamespacedPyTorchJob", "put", JobSchema, withFieldValidation: true),
                ["patch"] = Operation("patchKubeflowOrgV1NamespacedPyTorchJob", "patch", JobSchema, withFieldValidation: true),
                ["delete"] = Operation("deleteKubeflowOrgV1NamespacedPyTorchJob", "delete", JobSchema),
            },
            ["/apis/kubeflow.org/v1/namespaces/{namespace}/pytorchjobs/{name}/status"] = new JsonObject
            {
                ["parameters"] = Parameters("namespace", "name"),
                ["get"] = Operation("readKubeflowOrgV1NamespacedPyTorchJobStatus", "get", JobSchema),
                ["put"] = Operation("replaceKubeflowOrgV1NamespacedPyTorchJobStatus", "put", JobSchema, withFieldValidation: true),
                ["patch"] = Operation("patchKubeflowOrgV1NamespacedPyTorchJobStatus", "patch", JobSchema, withFieldValidation: true),
            },
            ["/apis/kubeflow.org/v1/pytorchjobs"] = new JsonObject
            {
                ["get"] = Operation("listKubeflowOrgV1PyTorchJobForAllNamespaces", "list", ListSchema),
            },
        },
        ["components"] = new JsonObject
        {
            ["schemas"] = new JsonObject
            {
                [JobSchema] = new JsonObject
                {
                    ["type"] = "object",
                    ["description"] = "A Kubeflow PyTorchJob.",
                    ["properties"] = new JsonObject
                    {
                        ["apiVersion"] = new JsonObject { ["type"] = "string" },
                        ["kind"] = new JsonObject { ["type"] = "string" },
                        ["metadata"] = Open(),
                        ["spec"] = Open(),
                        ["status"] = Open(),
                    },
                    ["x-kubernetes-group-version-kind"] = Gvk("PyTorchJob"),
                },
                [ListSchema] = new JsonObject
                {
                    ["type"] = "object",
                    ["required"] = new JsonArray("items"),
                    ["properties"] = new JsonObject
                    {
                        ["apiVersion"] = new JsonObject { ["type"] = "string" },
                        ["kind"] = new JsonObject { ["type"] = "string" },
                        ["metadata"] = Open(),
                        ["items"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["$ref"] = $"#/components/schemas/{JobSchema}" } },
                    },
                    ["x-kubernetes-group-version-kind"] = Gvk("PyTorchJobList"),
                },
            },
        },
    };

    private static JsonObject Open() => new() { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true };

    private static JsonArray Gvk(string kind) =>
        [new JsonObject { ["group"] = "kubeflow.org", ["kind"] = kind, ["version"] = "v1" }];

    private static JsonArray Parameters(params string[] names)
    {
        var parameters = new JsonArray();
        foreach (var name in names)
        {
            parameters.Add(new JsonObject
            {
                ["name"] = name,
                ["in"] = "path",
                ["required"] = true,
                ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true },
            });
        }

        return parameters;
    }

    private static JsonObject Operation(string operationId, string action, string schema, bool withFieldValidation = false)
    {
        var parameters = new JsonArray();
        if (withFieldValidation)
        {
            parameters.Add(Query("dryRun"));
            parameters.Add(Query("fieldManager"));
            parameters.Add(Query("fieldValidation"));
        }

        return new JsonObject
        {
            ["operationId"] = operationId,
            ["parameters"] = parameters,
            ["responses"] = new JsonObject
            {
                ["200"] = new JsonObject
                {
                    ["description"] = "OK",
                    ["content"] = new JsonObject
                    {
                        ["application/json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = $"#/components/schemas/{schema}" } },
                    },
                },
            },
            ["x-kubernetes-action"] = action,
            ["x-kubernetes-group-version-kind"] = Gvk("PyTorchJob")[0]!.DeepClone(),
        };
    }

    private static JsonObject Query(string name) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true },
    };
}
