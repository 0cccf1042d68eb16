using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dashboard.Benchmarks.Infrastructure;

/// <summary>Raw HTTP to the emulator: loading jobs, writing events, reading pages and its /emulator/stats.</summary>
internal sealed class EmulatorClient : IDisposable
{
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromMinutes(5);
    private static readonly byte[] ContinueProperty = "\"continue\":"u8.ToArray();
    private readonly HttpClient _http;

    public EmulatorClient(Uri baseAddress)
    {
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, UseProxy = false })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    public static string JobsPath(string @namespace) => $"apis/kubeflow.org/v1/namespaces/{@namespace}/pytorchjobs";

    public async Task EnsureNamespaceAsync(string @namespace, CancellationToken cancellationToken)
    {
        // Started with --namespaces, the emulator normally has it already.
        using (var existing = await _http.GetAsync($"api/v1/namespaces/{@namespace}", cancellationToken))
        {
            if (existing.StatusCode == HttpStatusCode.OK)
            {
                return;
            }
        }

        using var response = await _http.PostAsJsonAsync(
            "api/v1/namespaces",
            new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = @namespace } },
            cancellationToken);
        if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.OK or HttpStatusCode.Conflict))
        {
            throw new InvalidOperationException($"Creating namespace {@namespace}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    /// <summary>Creates <paramref name="count"/> example-sized jobs, <paramref name="parallelism"/> POSTs at a time; returns the time taken.</summary>
    public async Task<TimeSpan> LoadJobsAsync(string @namespace, int count, int parallelism, CancellationToken cancellationToken)
    {
        await EnsureNamespaceAsync(@namespace, cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(LoadTimeout);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = timeout.Token },
            async (index, token) =>
            {
                using var content = new StringContent(BenchJobs.Job(@namespace, index).ToJsonString(), Encoding.UTF8, "application/json");
                using var response = await _http.PostAsync(JobsPath(@namespace), content, token);
                if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.OK))
                {
                    throw new InvalidOperationException($"Creating job {index}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(token)}");
                }
            });

        // The real API server ignores status on create (status subresource); fill it in if the emulator does too.
        using var first = JsonDocument.Parse(await _http.GetStringAsync(JobsPath(@namespace) + "/" + BenchJobs.Name(0), timeout.Token));
        if (!first.RootElement.TryGetProperty("status", out var status) || !status.TryGetProperty("conditions", out _))
        {
            var patch = new JsonObject { ["status"] = BenchJobs.Status() }.ToJsonString();
            await Parallel.ForEachAsync(
                Enumerable.Range(0, count),
                new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = timeout.Token },
                async (index, token) => await PatchAsync($"{JobsPath(@namespace)}/{BenchJobs.Name(index)}/status", patch, token));
        }

        return System.Diagnostics.Stopwatch.GetElapsedTime(started);
    }

    /// <summary>A merge patch of one job's labels; returns the resourceVersion the write produced.</summary>
    public Task<long> PatchLabelAsync(string @namespace, string name, string label, string value, CancellationToken cancellationToken) =>
        PatchAsync(
            $"{JobsPath(@namespace)}/{name}",
            new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { [label] = value } } }.ToJsonString(),
            cancellationToken);

    /// <summary>A merge patch of one job's status subresource; returns the resourceVersion the write produced.</summary>
    public Task<long> PatchStatusAsync(string @namespace, string name, JsonObject status, CancellationToken cancellationToken) =>
        PatchAsync($"{JobsPath(@namespace)}/{name}/status", new JsonObject { ["status"] = status }.ToJsonString(), cancellationToken);

    private async Task<long> PatchAsync(string path, string mergePatch, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, path)
        {
            Content = new StringContent(mergePatch, Encoding.UTF8, "application/merge-patch+json"),
        };
        using var response = await _http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"PATCH {path}: {(int)response.StatusCode} {Encoding.UTF8.GetString(body)}");
        }

        using var job = JsonDocument.Parse(body);
        return long.Parse(job.RootElement.GetProperty("metadata").GetProperty("resourceVersion").GetString()!, CultureInfo.InvariantCulture);
    }

    /// <summary>The bare transfer: every page of the namespace's list read fully, continue token found without parsing the items.</summary>
    public async Task<(long Bytes, IReadOnlyList<Uri> Pages)> FetchAllPagesAsync(string @namespace, int pageSize, CancellationToken cancellationToken)
    {
        long bytes = 0;
        var pages = new List<Uri>();
        string? continueToken = null;
        do
        {
            var page = new Uri(_http.BaseAddress!, $"{JobsPath(@namespace)}?limit={pageSize}" + (continueToken is null ? "" : "&continue=" + Uri.EscapeDataString(continueToken)));
            var body = await _http.GetByteArrayAsync(page, cancellationToken);
            bytes += body.Length;
            pages.Add(page);
            continueToken = ContinueToken(body);
        }
        while (!string.IsNullOrEmpty(continueToken) && pages.Count < 100_000);

        return (bytes, pages);
    }

    /// <summary>The list's metadata.continue. The items (example-shaped jobs) never contain a "continue" key, so the last one is the list's.</summary>
    private static string? ContinueToken(ReadOnlySpan<byte> body)
    {
        var at = body.LastIndexOf(ContinueProperty);
        if (at < 0)
        {
            return null;
        }

        var reader = new Utf8JsonReader(body[(at + ContinueProperty.Length)..], isFinalBlock: false, state: default);
        return reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
    }

    public async Task<EmulatorStats> GetStatsAsync(string @namespace, CancellationToken cancellationToken)
    {
        using var stats = JsonDocument.Parse(await _http.GetStringAsync("emulator/stats", cancellationToken));
        var root = stats.RootElement;
        return new EmulatorStats(
            ByNamespace(root, "listPagesByNamespace", @namespace),
            ByNamespace(root, "watchesOpenedByNamespace", @namespace),
            ByNamespace(root, "watchesOpenNow", @namespace),
            ByNamespace(root, "objects", @namespace));
    }

    private static int ByNamespace(JsonElement root, string property, string @namespace) =>
        root.TryGetProperty(property, out var map) && map.ValueKind == JsonValueKind.Object && map.TryGetProperty(@namespace, out var value) && value.TryGetInt32(out var n) ? n : 0;

    public void Dispose() => _http.Dispose();
}

/// <summary>What /emulator/stats says about one namespace.</summary>
internal sealed record EmulatorStats(int ListPages, int WatchesOpened, int WatchesOpenNow, int Objects)
{
    public EmulatorStats Since(EmulatorStats before) =>
        new(ListPages - before.ListPages, WatchesOpened - before.WatchesOpened, WatchesOpenNow, Objects);

    /// <summary>The counts without the benchmark's own <see cref="RawWatch"/> (read while it was open).</summary>
    public EmulatorStats WithoutRawWatch() => this with { WatchesOpened = WatchesOpened - 1, WatchesOpenNow = WatchesOpenNow - 1 };
}
