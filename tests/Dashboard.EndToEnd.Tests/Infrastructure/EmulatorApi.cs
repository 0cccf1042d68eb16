using System.Text.Json.Nodes;
using Dashboard.Kubernetes.Connection;
using Dashboard.Model.PyTorchJobs;
using k8s;
using k8s.Models;

namespace Dashboard.EndToEnd.Tests.Infrastructure;

/// <summary>Changes made the way a cluster's users and operators make them: through the emulator's HTTP API.</summary>
public sealed class EmulatorApi : IDisposable
{
    private readonly IKubernetes _client;

    public EmulatorApi(Uri emulator) =>
        _client = KubernetesClientFactory.Create(new KubernetesClientConfiguration { Host = emulator.GetLeftPart(UriPartial.Authority) });

    public async Task<PyTorchJob> CreateAsync(PyTorchJob job) =>
        await _client.CustomObjects.CreateNamespacedCustomObjectAsync<PyTorchJob>(
            job, PyTorchJob.KubeGroup, PyTorchJob.KubeVersion, job.Metadata.NamespaceProperty, PyTorchJob.KubePlural);

    public async Task<PyTorchJob> GetAsync(string @namespace, string name) =>
        await _client.CustomObjects.GetNamespacedCustomObjectAsync<PyTorchJob>(
            PyTorchJob.KubeGroup, PyTorchJob.KubeVersion, @namespace, PyTorchJob.KubePlural, name);

    public async Task<IReadOnlyList<PyTorchJob>> ListAsync(string @namespace, string? labelSelector = null)
    {
        var list = await _client.CustomObjects.ListNamespacedCustomObjectAsync<PyTorchJobList>(
            PyTorchJob.KubeGroup, PyTorchJob.KubeVersion, @namespace, PyTorchJob.KubePlural, labelSelector: labelSelector);
        return [.. list.Items];
    }

    /// <summary>A JSON merge patch on the status subresource (what the training operator does).</summary>
    public async Task<PyTorchJob> PatchStatusAsync(string @namespace, string name, JsonObject status) =>
        await _client.CustomObjects.PatchNamespacedCustomObjectStatusAsync<PyTorchJob>(
            new V1Patch(new JsonObject { ["status"] = status }.ToJsonString(), V1Patch.PatchType.MergePatch),
            PyTorchJob.KubeGroup, PyTorchJob.KubeVersion, @namespace, PyTorchJob.KubePlural, name);

    /// <summary>Replaces the job's conditions with its current ones plus <paramref name="added"/>.</summary>
    public async Task<PyTorchJob> AddConditionAsync(string @namespace, string name, string type, string reason, string message)
    {
        var current = await GetAsync(@namespace, name);
        var now = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var conditions = new JsonArray();
        foreach (var condition in current.Status?.Conditions ?? [])
        {
            conditions.Add(JsonNode.Parse(KubernetesJson.Serialize(condition)));
        }

        conditions.Add(new JsonObject
        {
            ["type"] = type,
            ["status"] = "True",
            ["reason"] = reason,
            ["message"] = message,
            ["lastUpdateTime"] = now,
            ["lastTransitionTime"] = now,
        });
        return await PatchStatusAsync(@namespace, name, new JsonObject { ["conditions"] = conditions });
    }

    public void Dispose() => _client.Dispose();
}
