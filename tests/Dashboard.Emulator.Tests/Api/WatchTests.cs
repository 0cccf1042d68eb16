using Dashboard.Emulator.Store;
using Dashboard.Emulator.Tests.Infrastructure;
using Dashboard.Model.PyTorchJobs;
using k8s;

namespace Dashboard.Emulator.Tests.Api;

// The typed WatchAsync extension is marked obsolete in KubernetesClient 21 but is the typed watch it offers.
#pragma warning disable CS0618

public sealed class WatchTests
{
    private const string JobsPath = "apis/kubeflow.org/v1/namespaces/team-a/pytorchjobs";

    [Fact]
    public async Task WatchWithoutVersion_StartsWithAddedForEveryObject_ThenChanges_ThroughKubernetesClient()
    {
        await using var emulator = await TestEmulator.StartAsync();
        TestEmulator.Seed(emulator, 3);
        using var client = TestEmulator.Client(emulator);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var events = new List<(WatchEventType Type, string Name)>();
        var response = client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync<PyTorchJobList>(
            PyTorchJob.KubeGroup, PyTorchJob.KubeVersion, "team-a", PyTorchJob.KubePlural, watch: true, timeoutSeconds: 10, cancellationToken: cts.Token);
        await foreach (var (type, job) in response.WatchAsync<PyTorchJob, PyTorchJobList>(cancellationToken: cts.Token))
        {
            events.Add((type, job.Metadata.Name));
            if (events.Count == 3)
            {
                emulator.Store.Delete("team-a", "job-00001");
            }

            if (events.Count == 4)
            {
                break;
            }
        }

        Assert.Equal(
            [(WatchEventType.Added, "job-00000"), (WatchEventType.Added, "job-00001"), (WatchEventType.Added, "job-00002"), (WatchEventType.Deleted, "job-00001")],
            events);
    }

    [Fact]
    public async Task WatchFromAVersion_ReplaysOnlyLaterChanges_AndEndsAtTimeoutSeconds()
    {
        await using var emulator = await TestEmulator.StartAsync();
        TestEmulator.Seed(emulator, 3);
        var from = emulator.Store.ResourceVersion;
        emulator.Store.Create(TestEmulator.Job("later"));
        using var http = TestEmulator.Http(emulator);

        var lines = await WireReader.WatchLinesAsync(http, $"{JobsPath}?watch=true&resourceVersion={from}&timeoutSeconds=1");

        var only = Assert.Single(lines);
        Assert.Equal("ADDED", WireReader.Type(only));
        Assert.Equal("later", WireReader.Name(only));
        Assert.Equal((from + 1).ToString(), (string?)only["object"]!["metadata"]!["resourceVersion"]);
    }

    [Fact]
    public async Task WatchFromACompactedVersion_IsOneError410Event()
    {
        await using var emulator = await TestEmulator.StartAsync();
        TestEmulator.Seed(emulator, 3);
        var old = emulator.Store.ResourceVersion - 1;
        emulator.Store.Compact();
        using var http = TestEmulator.Http(emulator);

        var lines = await WireReader.WatchLinesAsync(http, $"{JobsPath}?watch=true&resourceVersion={old}");

        var error = Assert.Single(lines);
        Assert.Equal("ERROR", WireReader.Type(error));
        var status = error["object"]!;
        Assert.Equal("Status", (string?)status["kind"]);
        Assert.Equal("Expired", (string?)status["reason"]);
        Assert.Equal(410, (int?)status["code"]);
        Assert.Equal($"too old resource version: {old} ({old + 1})", (string?)status["message"]);
    }

    [Fact]
    public async Task CompactedWatch_SurfacesAsKubernetesExceptionWith410_InKubernetesClient()
    {
        await using var emulator = await TestEmulator.StartAsync();
        TestEmulator.Seed(emulator, 3);
        var old = emulator.Store.ResourceVersion - 1;
        emulator.Store.Compact();
        using var client = TestEmulator.Client(emulator);
        Exception? error = null;
        var response = client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync<PyTorchJobList>(
            PyTorchJob.KubeGroup, PyTorchJob.KubeVersion, "team-a", PyTorchJob.KubePlural, watch: true, resourceVersion: old.ToString());
        await foreach (var _ in response.WatchAsync<PyTorchJob, PyTorchJobList>(e => error = e))
        {
            Assert.Fail("no event expected");
        }

        var status = Assert.IsType<KubernetesException>(error).Status;
        Assert.Equal(410, status.Code);
        Assert.Equal("Expired", status.Reason);
    }

    [Fact]
    public async Task Bookmarks_ComeOnlyWhenAllowed_AndBeforeTheDeadline()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o with { BookmarkInterval = TimeSpan.FromMilliseconds(200) });
        TestEmulator.Seed(emulator, 2);
        var rv = emulator.Store.ResourceVersion;
        using var http = TestEmulator.Http(emulator);

        var with = await WireReader.WatchLinesAsync(http, $"{JobsPath}?watch=true&resourceVersion={rv}&allowWatchBookmarks=true&timeoutSeconds=1");
        var without = await WireReader.WatchLinesAsync(http, $"{JobsPath}?watch=true&resourceVersion={rv}&timeoutSeconds=1");

        Assert.NotEmpty(with);
        Assert.All(with, e => Assert.Equal("BOOKMARK", WireReader.Type(e)));
        Assert.All(with, e => Assert.Equal(rv.ToString(), (string?)e["object"]!["metadata"]!["resourceVersion"]));
        Assert.Equal("PyTorchJob", (string?)with[0]["object"]!["kind"]);
        Assert.Empty(without);
    }

    [Fact]
    public async Task ObjectsEnteringAndLeavingTheSelector_ArriveAsAddedAndDeleted()
    {
        await using var emulator = await TestEmulator.StartAsync();
        TestEmulator.Seed(emulator, 2, labels: _ => new Dictionary<string, string> { ["tier"] = "gold" });
        var rv = emulator.Store.ResourceVersion;
        SetTier(emulator, "job-00000", "silver");   // leaves
        SetTier(emulator, "job-00000", "gold");     // comes back
        SetTier(emulator, "job-00001", "gold", extra: "x"); // stays
        SetTier(emulator, "job-00001", "bronze");   // leaves
        SetTier(emulator, "job-00001", "silver");   // stays out
        using var http = TestEmulator.Http(emulator);

        var lines = await WireReader.WatchLinesAsync(http, $"{JobsPath}?watch=true&resourceVersion={rv}&labelSelector=tier%3Dgold&timeoutSeconds=1");

        Assert.Equal(
            ["DELETED job-00000", "ADDED job-00000", "MODIFIED job-00001", "DELETED job-00001"],
            lines.Select(l => $"{WireReader.Type(l)} {WireReader.Name(l)}"));
    }

    [Fact]
    public async Task WatchList_SendsInitialEvents_ThenTheEndBookmark_ThenChanges()
    {
        await using var emulator = await TestEmulator.StartAsync();
        TestEmulator.Seed(emulator, 2);
        using var http = TestEmulator.Http(emulator);
        var watching = WireReader.WatchLinesAsync(http,
            $"{JobsPath}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=5", maxLines: 4);
        await Eventually.WaitUntilAsync(() => emulator.Stats.WatchesOpenNow.GetValueOrDefault("team-a") == 1);
        emulator.Store.Create(TestEmulator.Job("after"));

        var lines = await watching;

        Assert.Equal(["ADDED job-00000", "ADDED job-00001", "BOOKMARK ", "ADDED after"], lines.Select(l => $"{WireReader.Type(l)} {WireReader.Name(l)}"));
        Assert.Equal("true", (string?)lines[2]["object"]!["metadata"]!["annotations"]!["k8s.io/initial-events-end"]);
    }

    [Fact]
    public async Task SendInitialEventsWithoutNotOlderThan_IsRejectedWith400()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var http = TestEmulator.Http(emulator);
        var (code, status) = await WireReader.GetJsonAsync(http, $"{JobsPath}?watch=true&sendInitialEvents=true");
        Assert.Equal(400, code);
        Assert.Equal("BadRequest", (string?)status["reason"]);
    }

    [Fact]
    public async Task ClusterWideWatch_SeesEveryNamespace()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var rv = emulator.Store.ResourceVersion;
        emulator.Store.Create(TestEmulator.Job("a1", "team-a"));
        emulator.Store.Create(TestEmulator.Job("b1", "team-b"));
        using var http = TestEmulator.Http(emulator);

        var lines = await WireReader.WatchLinesAsync(http, $"apis/kubeflow.org/v1/pytorchjobs?watch=1&resourceVersion={rv}&timeoutSeconds=1");

        Assert.Equal(["a1", "b1"], lines.Select(WireReader.Name));
    }

    private static void SetTier(EmulatorHost emulator, string name, string tier, string? extra = null) =>
        emulator.Store.Update(ResourceKind.PyTorchJobs, "team-a", name, current =>
        {
            current.Metadata.Labels = new Dictionary<string, string> { ["tier"] = tier };
            if (extra is not null)
            {
                current.Metadata.Labels["extra"] = extra;
            }

            return current;
        });
}
