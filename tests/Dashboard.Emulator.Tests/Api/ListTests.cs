using System.Net;
using System.Text.Json.Nodes;
using Dashboard.Emulator.Store;
using Dashboard.Emulator.Tests.Infrastructure;
using Dashboard.Model.PyTorchJobs;
using k8s;
using k8s.Autorest;

namespace Dashboard.Emulator.Tests.Api;

public sealed class ListTests
{
    private const string Group = PyTorchJob.KubeGroup;
    private const string Version = PyTorchJob.KubeVersion;
    private const string Plural = PyTorchJob.KubePlural;

    [Fact]
    public async Task PagesOfOneList_AreOneSnapshot_EvenUnderConcurrentWrites()
    {
        await using var emulator = await TestEmulator.StartAsync();
        TestEmulator.Seed(emulator, 300);
        using var client = TestEmulator.Client(emulator);
        using var writing = new CancellationTokenSource();
        var writes = 0;
        var writer = Task.Run(async () =>
        {
            var store = emulator.Store;
            // Bounded so the event history (10,000 events) keeps the list's snapshot.
            for (var i = 0; i < 2_000 && !writing.IsCancellationRequested; i++)
            {
                store.Create(TestEmulator.Job($"new-{i:D5}"));
                Assert.True(store.Delete("team-a", i < 300 ? $"job-{i:D5}" : $"new-{i - 300:D5}"));
                Interlocked.Increment(ref writes);
                await Task.Delay(1); // pacing: a steady stream of writes while the pages are read
            }
        });

        var pages = new List<PyTorchJobList>();
        string? token = null;
        do
        {
            var page = (await client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync<PyTorchJobList>(
                Group, Version, "team-a", Plural, continueParameter: token, limit: 25)).Body;
            pages.Add(page);
            token = page.Metadata.ContinueProperty;
            var seen = Volatile.Read(ref writes);
            await Eventually.WaitUntilAsync(() => Volatile.Read(ref writes) > seen || writer.IsCompleted, because: "writes between pages");
        }
        while (!string.IsNullOrEmpty(token));

        await writing.CancelAsync();
        await writer;

        var listRv = pages[0].Metadata.ResourceVersion;
        Assert.All(pages, p => Assert.Equal(listRv, p.Metadata.ResourceVersion));
        var listed = pages.SelectMany(p => p.Items).Select(j => (j.Metadata.Name, j.Metadata.ResourceVersion)).ToList();
        var snapshot = emulator.Store.Snapshot(ResourceKind.PyTorchJobs, long.Parse(listRv))
            .Items.Select(j => (j.Name, j.ResourceVersion.ToString())).ToList();
        Assert.Equal(snapshot, listed);
        Assert.InRange(listed.Count, 300, 301);
        Assert.True(pages.Count >= 12);
        Assert.Equal(listed.Count - 25, pages[0].Metadata.RemainingItemCount);
        Assert.True(emulator.Store.ResourceVersion > long.Parse(listRv) + 2, "writes happened during the list");
    }

    [Fact]
    public async Task ContinueToken_AfterCompaction_Is410Expired_WithAnInconsistentToken()
    {
        await using var emulator = await TestEmulator.StartAsync();
        TestEmulator.Seed(emulator, 20);
        using var client = TestEmulator.Client(emulator);
        var first = (await client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync<PyTorchJobList>(Group, Version, "team-a", Plural, limit: 5)).Body;
        emulator.Store.Create(TestEmulator.Job("zzz-late"));
        emulator.Store.Compact();

        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync<PyTorchJobList>(
                Group, Version, "team-a", Plural, limit: 5, continueParameter: first.Metadata.ContinueProperty));
        Assert.Equal(HttpStatusCode.Gone, error.Response.StatusCode);
        var status = JsonNode.Parse(error.Response.Content)!;
        Assert.Equal("Expired", (string?)status["reason"]);
        Assert.Equal(410, (int?)status["code"]);
        Assert.StartsWith("The provided continue parameter is too old", (string?)status["message"], StringComparison.Ordinal);
        var inconsistent = (string?)status["metadata"]!["continue"];
        Assert.False(string.IsNullOrEmpty(inconsistent));

        // The inconsistent token continues from where the list stopped, over the latest state.
        var rest = new List<string>();
        string? token = inconsistent;
        while (!string.IsNullOrEmpty(token))
        {
            var page = (await client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync<PyTorchJobList>(
                Group, Version, "team-a", Plural, limit: 5, continueParameter: token)).Body;
            rest.AddRange(page.Items.Select(i => i.Metadata.Name));
            token = page.Metadata.ContinueProperty;
        }

        Assert.Equal(Enumerable.Range(5, 15).Select(i => $"job-{i:D5}").Append("zzz-late"), rest);
    }

    [Fact]
    public async Task ResourceVersionSemantics_FollowTheApiServer()
    {
        await using var emulator = await TestEmulator.StartAsync();
        TestEmulator.Seed(emulator, 3);
        using var http = TestEmulator.Http(emulator);
        var before = emulator.Store.ResourceVersion;
        emulator.Store.Create(TestEmulator.Job("later"));
        const string path = "apis/kubeflow.org/v1/namespaces/team-a/pytorchjobs";

        var (code, exact) = await WireReader.GetJsonAsync(http, $"{path}?resourceVersion={before}&resourceVersionMatch=Exact");
        Assert.Equal(200, code);
        Assert.Equal(3, exact["items"]!.AsArray().Count);
        Assert.Equal(before.ToString(), (string?)exact["metadata"]!["resourceVersion"]);

        var (_, withLimit) = await WireReader.GetJsonAsync(http, $"{path}?resourceVersion={before}&limit=10");
        Assert.Equal(3, withLimit["items"]!.AsArray().Count);

        var (_, notOlder) = await WireReader.GetJsonAsync(http, $"{path}?resourceVersion={before}");
        Assert.Equal(4, notOlder["items"]!.AsArray().Count);

        var (_, any) = await WireReader.GetJsonAsync(http, $"{path}?resourceVersion=0");
        Assert.Equal(4, any["items"]!.AsArray().Count);

        var (tooLargeCode, tooLarge) = await WireReader.GetJsonAsync(http, $"{path}?resourceVersion=999999");
        Assert.Equal(504, tooLargeCode);
        Assert.Equal("Timeout", (string?)tooLarge["reason"]);
        Assert.Contains("Too large resource version", (string?)tooLarge["message"], StringComparison.Ordinal);

        emulator.Store.Compact();
        var (expiredCode, expired) = await WireReader.GetJsonAsync(http, $"{path}?resourceVersion={before}&resourceVersionMatch=Exact");
        Assert.Equal(410, expiredCode);
        Assert.Equal("The resourceVersion for the provided list is too old.", (string?)expired["message"]);

        var (badCode, bad) = await WireReader.GetJsonAsync(http, $"{path}?continue=abc&resourceVersion=5");
        Assert.Equal(400, badCode);
        Assert.Equal("specifying resource version is not allowed when using continue", (string?)bad["message"]);

        var (tokenCode, token) = await WireReader.GetJsonAsync(http, $"{path}?continue=not-a-token");
        Assert.Equal(400, tokenCode);
        Assert.StartsWith("invalid continue token", (string?)token["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Selectors_FilterLists_AndRemainingItemCountIsOnlySetWithoutThem()
    {
        await using var emulator = await TestEmulator.StartAsync();
        TestEmulator.Seed(emulator, 30, labels: i => new Dictionary<string, string> { ["tier"] = i % 3 == 0 ? "gold" : "silver" });
        using var client = TestEmulator.Client(emulator);

        var gold = (await client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync<PyTorchJobList>(
            Group, Version, "team-a", Plural, labelSelector: "tier in (gold)", limit: 4)).Body;
        Assert.Equal(4, gold.Items.Count);
        Assert.Null(gold.Metadata.RemainingItemCount);
        Assert.All(gold.Items, j => Assert.Equal("gold", j.Metadata.Labels["tier"]));

        var byName = (await client.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync<PyTorchJobList>(
            Group, Version, Plural, fieldSelector: "metadata.name=job-00007")).Body;
        Assert.Equal("job-00007", Assert.Single(byName.Items).Metadata.Name);

        var notThisNamespace = (await client.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync<PyTorchJobList>(
            Group, Version, Plural, fieldSelector: "metadata.namespace!=team-a")).Body;
        Assert.Empty(notThisNamespace.Items);
    }

    [Fact]
    public async Task ListInANamespaceThatDoesNotExist_IsAnEmptyList()
    {
        await using var emulator = await TestEmulator.StartAsync();
        TestEmulator.Seed(emulator, 2);
        using var client = TestEmulator.Client(emulator);
        var list = (await client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync<PyTorchJobList>(Group, Version, "nowhere", Plural)).Body;
        Assert.Empty(list.Items);
        Assert.Equal(emulator.Store.ResourceVersion.ToString(), list.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task TableOutput_HasNameStateAndAge()
    {
        await using var emulator = await TestEmulator.StartAsync();
        TestEmulator.Seed(emulator, 2);
        emulator.Store.Update(ResourceKind.PyTorchJobs, "team-a", "job-00001", current =>
        {
            ((PyTorchJob)current).Status = new JobStatus { Conditions = [new JobCondition { Type = "Created", Status = "True" }, new JobCondition { Type = "Running", Status = "True" }] };
            return current;
        });
        using var http = TestEmulator.Http(emulator);
        var (code, table) = await WireReader.GetJsonAsync(http, "apis/kubeflow.org/v1/namespaces/team-a/pytorchjobs", "application/json;as=Table;v=v1;g=meta.k8s.io");
        Assert.Equal(200, code);
        Assert.Equal("Table", (string?)table["kind"]);
        Assert.Equal(["Name", "State", "Age"], table["columnDefinitions"]!.AsArray().Select(c => (string)c!["name"]!));
        var rows = table["rows"]!.AsArray();
        Assert.Equal(["job-00000", null, "0s"], rows[0]!["cells"]!.AsArray().Select(c => (string?)c));
        Assert.Equal("Running", (string?)rows[1]!["cells"]![1]);
        Assert.Equal("PartialObjectMetadata", (string?)rows[1]!["object"]!["kind"]);
    }
}
