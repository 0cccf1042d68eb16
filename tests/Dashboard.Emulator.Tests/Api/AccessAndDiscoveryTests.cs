using System.Net;
using System.Net.Http.Headers;
using Dashboard.Emulator.Tests.Infrastructure;
using Dashboard.Model.PyTorchJobs;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Dashboard.Emulator.Tests.Api;

public sealed class AccessAndDiscoveryTests
{
    [Fact]
    public async Task WithAToken_RequestsWithoutIt_Are401_AndControlEndpointsStayOpen()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o with { Token = "s3cret" });
        using var anonymous = TestEmulator.Client(emulator);
        using var wrong = TestEmulator.Client(emulator, "nope");
        using var authorized = TestEmulator.Client(emulator, "s3cret");

        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            anonymous.CustomObjects.ListNamespacedCustomObjectAsync<PyTorchJobList>(PyTorchJob.KubeGroup, PyTorchJob.KubeVersion, "team-a", PyTorchJob.KubePlural));
        ObjectTests.AssertStatus(error, 401, "Unauthorized", "Unauthorized");
        await Assert.ThrowsAsync<HttpOperationException>(() => wrong.CoreV1.ListNamespaceAsync());
        var list = await authorized.CustomObjects.ListNamespacedCustomObjectAsync<PyTorchJobList>(PyTorchJob.KubeGroup, PyTorchJob.KubeVersion, "team-a", PyTorchJob.KubePlural);
        Assert.NotNull(list);

        using var http = TestEmulator.Http(emulator);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("emulator/stats")).StatusCode);
    }

    [Fact]
    public async Task WithoutTheCrd_EveryPyTorchJobPathIs404_AndDiscoveryOmitsTheGroup()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o with { WithoutCrd = true });
        using var http = TestEmulator.Http(emulator);
        foreach (var path in new[] { "apis/kubeflow.org/v1/pytorchjobs", "apis/kubeflow.org/v1/namespaces/team-a/pytorchjobs", "apis/kubeflow.org/v1/namespaces/team-a/pytorchjobs/x", "apis/kubeflow.org/v1" })
        {
            var (code, status) = await WireReader.GetJsonAsync(http, path);
            Assert.Equal(404, code);
            Assert.Equal("the server could not find the requested resource", (string?)status["message"]);
        }

        var (_, groups) = await WireReader.GetJsonAsync(http, "apis");
        Assert.Empty(groups["groups"]!.AsArray());
    }

    [Fact]
    public async Task BadSelectors_Are400_WithTheApiServersMessage()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var http = TestEmulator.Http(emulator);
        var (code, status) = await WireReader.GetJsonAsync(http, "apis/kubeflow.org/v1/namespaces/team-a/pytorchjobs?labelSelector=" + Uri.EscapeDataString("a in (x"));
        Assert.Equal(400, code);
        Assert.Equal("BadRequest", (string?)status["reason"]);
        Assert.StartsWith("unable to parse requirement", (string?)status["message"], StringComparison.Ordinal);

        var (fieldCode, field) = await WireReader.GetJsonAsync(http, "apis/kubeflow.org/v1/namespaces/team-a/pytorchjobs?fieldSelector=spec.x%3D1");
        Assert.Equal(400, fieldCode);
        Assert.Equal("field label not supported: spec.x", (string?)field["message"]);
    }

    [Fact]
    public async Task UnsupportedVerbsAndMediaTypes_Are405And415()
    {
        await using var emulator = await TestEmulator.StartAsync();
        TestEmulator.Seed(emulator, 1);
        using var http = TestEmulator.Http(emulator);

        using var delete = await http.DeleteAsync("apis/kubeflow.org/v1/namespaces/team-a/pytorchjobs/job-00000/status");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, delete.StatusCode);
        Assert.Contains("\"reason\":\"MethodNotAllowed\"", await delete.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var request = new HttpRequestMessage(HttpMethod.Patch, "apis/kubeflow.org/v1/namespaces/team-a/pytorchjobs/job-00000")
        {
            Content = new StringContent("{}", new MediaTypeHeaderValue("application/apply-patch+yaml")),
        };
        using var patch = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, patch.StatusCode);
        Assert.Contains("\"reason\":\"UnsupportedMediaType\"", await patch.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Namespaces_CanBeCreatedListedAndDeleted_WithTheirJobs()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = TestEmulator.Client(emulator);
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "lab" } });
        emulator.Store.Create(TestEmulator.Job("in-lab", "lab"));

        var names = (await client.CoreV1.ListNamespaceAsync()).Items.Select(n => n.Metadata.Name).ToList();
        Assert.Equal(["default", "lab", "team-a", "team-b"], names);
        Assert.Equal("Active", (await client.CoreV1.ReadNamespaceAsync("lab")).Status.Phase);

        var invalid = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "Not.Valid" } }));
        Assert.Equal(422, (int)invalid.Response.StatusCode);

        await client.CoreV1.DeleteNamespaceAsync("lab");
        var gone = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReadNamespaceAsync("lab"));
        ObjectTests.AssertStatus(gone, 404, "NotFound", "namespaces \"lab\" not found");
        Assert.Null(emulator.Store.Get(Store.ResourceKind.PyTorchJobs, "lab", "in-lab"));
    }

    [Fact]
    public async Task VersionAndDiscovery_DescribeTheServedResources()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = TestEmulator.Client(emulator);
        var version = await client.Version.GetCodeAsync();
        Assert.Equal("1", version.Major);

        var resources = await client.CustomObjects.GetAPIResourcesAsync(PyTorchJob.KubeGroup, PyTorchJob.KubeVersion);
        var jobs = Assert.Single(resources.Resources, r => r.Name == "pytorchjobs");
        Assert.Equal("PyTorchJob", jobs.Kind);
        Assert.True(jobs.Namespaced);
        Assert.Contains("watch", jobs.Verbs);
        Assert.Contains(resources.Resources, r => r.Name == "pytorchjobs/status");

        var groups = await client.Apis.GetAPIVersionsAsync();
        Assert.Contains(groups.Groups, g => g.Name == "kubeflow.org");

        using var http = TestEmulator.Http(emulator);
        var (code, index) = await WireReader.GetJsonAsync(http, "openapi/v3");
        Assert.Equal(200, code);
        var url = (string?)index["paths"]!["apis/kubeflow.org/v1"]!["serverRelativeURL"];
        var (docCode, doc) = await WireReader.GetJsonAsync(http, url!.TrimStart('/'));
        Assert.Equal(200, docCode);
        Assert.NotNull(doc["components"]!["schemas"]!["org.kubeflow.v1.PyTorchJob"]);
    }

    [Fact]
    public async Task ControlEndpoints_InjectFaults_Compact_AndCountRequests()
    {
        await using var emulator = await TestEmulator.StartAsync();
        TestEmulator.Seed(emulator, 4);
        using var http = TestEmulator.Http(emulator);
        using var client = TestEmulator.Client(emulator);

        await client.CustomObjects.ListNamespacedCustomObjectAsync<PyTorchJobList>(PyTorchJob.KubeGroup, PyTorchJob.KubeVersion, "team-a", PyTorchJob.KubePlural, limit: 2);
        await client.CustomObjects.ListClusterCustomObjectAsync<PyTorchJobList>(PyTorchJob.KubeGroup, PyTorchJob.KubeVersion, PyTorchJob.KubePlural);
        await client.CustomObjects.GetNamespacedCustomObjectAsync<PyTorchJob>(PyTorchJob.KubeGroup, PyTorchJob.KubeVersion, "team-a", PyTorchJob.KubePlural, "job-00001");

        using (var put = await http.PutAsync("emulator/faults", Json("""{"failRate":1}""")))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        var failure = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.CustomObjects.ListNamespacedCustomObjectAsync<PyTorchJobList>(PyTorchJob.KubeGroup, PyTorchJob.KubeVersion, "team-a", PyTorchJob.KubePlural));
        ObjectTests.AssertStatus(failure, 500, "InternalError", "Internal error occurred: injected fault");
        (await http.PutAsync("emulator/faults", Json("{}"))).Dispose();
        await client.CustomObjects.ListNamespacedCustomObjectAsync<PyTorchJobList>(PyTorchJob.KubeGroup, PyTorchJob.KubeVersion, "team-a", PyTorchJob.KubePlural);

        var rvBefore = emulator.Store.ResourceVersion - 1;
        (await http.PostAsync("emulator/compact", null)).Dispose();
        Assert.Equal(emulator.Store.ResourceVersion, emulator.Store.OldestResourceVersion(Store.ResourceKind.PyTorchJobs));
        Assert.True(rvBefore < emulator.Store.OldestResourceVersion(Store.ResourceKind.PyTorchJobs));

        var (_, stats) = await WireReader.GetJsonAsync(http, "emulator/stats");
        Assert.Equal(emulator.Store.ResourceVersion.ToString(), (string?)stats["resourceVersion"]);
        Assert.Equal(4, (int?)stats["objects"]!["team-a"]);
        Assert.Equal(3, (int?)stats["requests"]!["listPages"]);
        Assert.Equal(1, (int?)stats["requests"]!["gets"]);
        Assert.Equal(2, (int?)stats["listPagesByNamespace"]!["team-a"]);
        Assert.Equal(1, (int?)stats["listPagesByNamespace"]!["*"]);
        Assert.Equal(1, (int?)stats["faultsServed"]);
    }

    [Fact]
    public async Task CutWatchAfter_EndsEachWatchAfterThatManyEvents_AndLatencyDelaysRequests()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o with { Faults = new FaultSettings(CutWatchAfter: 2, LatencyMs: 150) });
        TestEmulator.Seed(emulator, 5);
        using var http = TestEmulator.Http(emulator);

        var started = DateTime.UtcNow;
        var lines = await WireReader.WatchLinesAsync(http, "apis/kubeflow.org/v1/namespaces/team-a/pytorchjobs?watch=true");

        Assert.Equal(2, lines.Count);
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(140));
        var (_, stats) = await WireReader.GetJsonAsync(http, "emulator/stats");
        Assert.Equal(1, (int?)stats["watchesOpenedByNamespace"]!["team-a"]);
        Assert.Equal(0, (int?)stats["watchesOpenNow"]!["team-a"]);
    }

    [Fact]
    public async Task FailRate_FailsAboutThatFractionOfRequests()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o with { Faults = new FaultSettings(FailRate: 0.5) });
        using var http = TestEmulator.Http(emulator);
        var failures = 0;
        for (var i = 0; i < 200; i++)
        {
            using var response = await http.GetAsync("apis/kubeflow.org/v1/namespaces/team-a/pytorchjobs");
            failures += response.StatusCode == HttpStatusCode.InternalServerError ? 1 : 0;
        }

        Assert.InRange(failures, 60, 140);
        Assert.Equal(failures, emulator.Stats.FaultsServed);
    }

    private static StringContent Json(string json) => new(json, new MediaTypeHeaderValue("application/json"));
}
