using System.Net;
using System.Text.Json;
using Dashboard.Emulator;
using Dashboard.Model.Selectors;
using Dashboard.Tests.Infrastructure;

namespace Dashboard.Tests.Api;

public sealed class JobApiTests : IClassFixture<JobApiTests.EmbeddedApp>
{
    public sealed class EmbeddedApp : IDisposable
    {
        public ApiTestApp App { get; } = ApiTestApp.WithEmbeddedEmulator();

        public void Dispose() => App.Dispose();
    }

    private readonly HttpClient _client;

    public JobApiTests(EmbeddedApp fixture) => _client = fixture.App.CreateClient();

    private async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path)
    {
        using var response = await _client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text.Length == 0 ? "null" : text);
        return (response.StatusCode, document.RootElement.Clone());
    }

    [Fact]
    public async Task Jobs_of_a_namespace_come_from_the_cache_with_its_resource_version_and_sync_state()
    {
        var (status, body) = await GetAsync("/api/jobs?namespace=kube-test");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("kube-test", body.GetProperty("namespace").GetString());
        Assert.Equal("Live", body.GetProperty("sync").GetProperty("state").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("resourceVersion").GetString()));
        var item = Assert.Single(body.GetProperty("items").EnumerateArray());
        Assert.Equal("pytorch-test", item.GetProperty("name").GetString());
        Assert.Equal("kube-test", item.GetProperty("namespace").GetString());
        Assert.False(string.IsNullOrEmpty(item.GetProperty("resourceVersion").GetString()));
        Assert.Equal("*.*.*.215:20202/gcs/pytorch-cpu:v1", item.GetProperty("image").GetString());
    }

    [Fact]
    public async Task All_namespaces_and_a_label_selector_filter_the_shared_cache()
    {
        var (_, all) = await GetAsync("/api/jobs");
        var items = all.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(13, items.Count); // 12 scenario jobs + the example job
        Assert.Equal(JsonValueKind.Null, all.GetProperty("namespace").ValueKind);

        var labelled = items.First(i => i.GetProperty("labels").EnumerateObject().Any());
        var label = labelled.GetProperty("labels").EnumerateObject().First();
        var selector = $"{label.Name}={label.Value.GetString()}";
        var (status, filtered) = await GetAsync("/api/jobs?labelSelector=" + Uri.EscapeDataString(selector));

        Assert.Equal(HttpStatusCode.OK, status);
        var expected = items.Where(i => i.GetProperty("labels").TryGetProperty(label.Name, out var v) && v.GetString() == label.Value.GetString())
            .Select(i => i.GetProperty("name").GetString()).Order().ToArray();
        Assert.Equal(expected, filtered.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()).Order().ToArray());
    }

    [Fact]
    public async Task A_bad_selector_is_a_400_status_with_the_api_servers_message()
    {
        const string selector = "app in (a,";
        var (status, body) = await GetAsync("/api/jobs?labelSelector=" + Uri.EscapeDataString(selector));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Status", body.GetProperty("kind").GetString());
        Assert.Equal("BadRequest", body.GetProperty("reason").GetString());
        Assert.Equal(400, body.GetProperty("code").GetInt32());
        Assert.False(LabelSelector.TryParse(selector, out _, out var error));
        Assert.Equal(error, body.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("/api/jobs?namespace=Team_A")]
    [InlineData("/api/jobs/Team_A/pytorch-test")]
    public async Task A_namespace_name_that_cannot_exist_is_a_400_status(string path)
    {
        var (status, body) = await GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("BadRequest", body.GetProperty("reason").GetString());
        Assert.StartsWith("namespace \"Team_A\" is invalid: a lowercase RFC 1123 label", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_job_is_the_full_object_plus_its_observed_history()
    {
        var (status, body) = await GetAsync("/api/jobs/kube-test/pytorch-test");

        Assert.Equal(HttpStatusCode.OK, status);
        var job = body.GetProperty("job");
        Assert.Equal("PyTorchJob", job.GetProperty("kind").GetString());
        Assert.Equal("pytorch-test", job.GetProperty("metadata").GetProperty("name").GetString());
        Assert.Equal("Never", job.GetProperty("spec").GetProperty("pytorchReplicaSpecs").GetProperty("Master").GetProperty("restartPolicy").GetString());
        Assert.Equal(JsonValueKind.Array, body.GetProperty("history").ValueKind);
        Assert.NotEqual(0, body.GetProperty("history").GetArrayLength());
        Assert.False(body.GetProperty("deleted").GetBoolean());
        Assert.Equal("Live", body.GetProperty("sync").GetProperty("state").GetString());
    }

    [Fact]
    public async Task An_unknown_job_is_a_404_status()
    {
        var (status, body) = await GetAsync("/api/jobs/kube-test/nope");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("NotFound", body.GetProperty("reason").GetString());
        Assert.Equal("pytorchjobs.kubeflow.org \"nope\" not found", body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Namespaces_come_from_the_api()
    {
        var (status, body) = await GetAsync("/api/namespaces");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body.GetProperty("fromApi").GetBoolean());
        var names = body.GetProperty("namespaces").EnumerateArray().Select(n => n.GetString()).ToArray();
        Assert.Contains("team-a", names);
        Assert.Contains("kube-test", names);
    }

    [Fact]
    public async Task Health_is_up_and_readiness_follows_the_default_caches()
    {
        using var health = await _client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        var (status, body) = await ApiWait.UntilAsync(() => GetAsync("/readyz"), r => r.Status == HttpStatusCode.OK, "ready");
        Assert.Equal("ready", body.GetProperty("status").GetString());
        Assert.Equal("Live", body.GetProperty("caches").GetProperty("kube-test").GetProperty("state").GetString());
        Assert.Equal("Live", body.GetProperty("caches").GetProperty("team-a").GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.OK, status);
    }
}

public sealed class JobApiReadinessTests
{
    [Fact]
    public async Task Readiness_is_503_with_the_reason_while_the_crd_is_missing()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { Namespaces = ["team-a"], Jobs = 0, EventsPerSecond = 0, WithoutCrd = true });
        using var folder = new TempFolder("query-api-");
        using var app = ApiTestApp.WithKubeConfig(emulator.BaseAddress, folder);
        using var client = app.CreateClient();

        using var health = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        var reason = await ApiWait.UntilAsync(
            async () =>
            {
                using var response = await client.GetAsync("/readyz");
                using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                return ((int)response.StatusCode, document.RootElement.GetProperty("reason").GetString() ?? "");
            },
            r => r.Item2.Contains("CrdNotInstalled", StringComparison.Ordinal),
            "readiness reports the missing CRD");
        Assert.Equal(503, reason.Item1);
        Assert.Contains("404", reason.Item2, StringComparison.Ordinal);

        // A list that never succeeded is not "no jobs": 503 with the reason, as for one job.
        using var jobs = await client.GetAsync("/api/jobs?namespace=team-a");
        using var document = JsonDocument.Parse(await jobs.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, jobs.StatusCode);
        Assert.Contains("CrdNotInstalled 404", document.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Once_listed_the_app_stays_ready_through_an_api_outage_and_says_so()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { Namespaces = ["team-a"], Jobs = 3, EventsPerSecond = 0, IncludeExampleJob = false });
        using var folder = new TempFolder("query-api-");
        using var app = ApiTestApp.WithKubeConfig(emulator.BaseAddress, folder);
        using var client = app.CreateClient();
        await ApiWait.UntilAsync(() => client.GetAsync("/readyz"), r => r.StatusCode == HttpStatusCode.OK, "ready");

        // Every request fails from now on, and the open watch is cut: the cache reconnects in vain.
        using var control = new HttpClient { BaseAddress = emulator.BaseAddress };
        using (var faults = await control.PutAsync("/emulator/faults", new StringContent("{\"failRate\":1}", System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.True(faults.IsSuccessStatusCode);
        }

        emulator.Store.CloseAllWatches();
        var (status, reason) = await ApiWait.UntilAsync(
            async () =>
            {
                using var response = await client.GetAsync("/readyz");
                using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                return (response.StatusCode, document.RootElement.GetProperty("reason").GetString() ?? "");
            },
            r => r.Item2.Contains("Reconnecting", StringComparison.Ordinal),
            "readiness names the failing cache");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("ready, serving the last known jobs: namespace 'team-a': Reconnecting (ServerError 500", reason, StringComparison.Ordinal);
        using var jobs = await client.GetAsync("/api/jobs?namespace=team-a");
        using var list = JsonDocument.Parse(await jobs.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, jobs.StatusCode);
        Assert.Equal(3, list.RootElement.GetProperty("items").GetArrayLength());
    }
}
