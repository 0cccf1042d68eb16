using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dashboard.Tests.Hubs;

/// <summary>Writes PyTorchJobs to the emulator and reads its stats, over its real HTTP API.</summary>
internal sealed class EmulatorClient(Uri baseAddress) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public async Task CreateJobAsync(string @namespace, string name, IReadOnlyDictionary<string, string> labels)
    {
        var job = new JsonObject
        {
            ["apiVersion"] = "kubeflow.org/v1",
            ["kind"] = "PyTorchJob",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = @namespace,
                ["labels"] = new JsonObject(labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)JsonValue.Create(l.Value)))),
            },
            ["spec"] = new JsonObject
            {
                ["pytorchReplicaSpecs"] = new JsonObject
                {
                    ["Master"] = new JsonObject
                    {
                        ["replicas"] = 1,
                        ["restartPolicy"] = "OnFailure",
                        ["template"] = new JsonObject
                        {
                            ["spec"] = new JsonObject
                            {
                                ["containers"] = new JsonArray(new JsonObject { ["name"] = "pytorch", ["image"] = "docker.io/example/train:1" }),
                            },
                        },
                    },
                },
            },
        };
        using var response = await _http.PostAsJsonAsync(JobsPath(@namespace), job);
        await EnsureSuccessAsync(response);
    }

    public async Task SetLabelAsync(string @namespace, string name, string key, string value)
    {
        var patch = new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { [key] = value } } };
        using var content = new StringContent(patch.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/merge-patch+json");
        using var response = await _http.PatchAsync($"{JobsPath(@namespace)}/{name}", content);
        await EnsureSuccessAsync(response);
    }

    public async Task DeleteJobAsync(string @namespace, string name)
    {
        using var response = await _http.DeleteAsync($"{JobsPath(@namespace)}/{name}");
        await EnsureSuccessAsync(response);
    }

    /// <summary>GET /emulator/stats.</summary>
    public async Task<JsonElement> StatsAsync()
    {
        using var document = await JsonDocument.ParseAsync(await _http.GetStreamAsync("emulator/stats"));
        return document.RootElement.Clone();
    }

    /// <summary>A per-namespace count from the stats ("watchesOpenNow", "watchesOpenedByNamespace" ...); 0 when absent.</summary>
    public async Task<int> CountAsync(string section, string @namespace)
    {
        var stats = await StatsAsync();
        return stats.TryGetProperty(section, out var counts) && counts.TryGetProperty(@namespace, out var count) ? count.GetInt32() : 0;
    }

    public void Dispose() => _http.Dispose();

    private static string JobsPath(string @namespace) => $"apis/kubeflow.org/v1/namespaces/{@namespace}/pytorchjobs";

    private static async Task EnsureSuccessAsync(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{(int)response.StatusCode} from the emulator: {await response.Content.ReadAsStringAsync()}");
        }
    }
}
