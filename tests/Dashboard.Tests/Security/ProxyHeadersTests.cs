using System.Net;
using System.Text.Json;
using Dashboard.Hubs;
using Dashboard.Tests.Api;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Dashboard.Tests.Security;

/// <summary>
/// Auth:Mode ProxyHeaders over real HTTP, with the emulator answering the SubjectAccessReviews from its policy:
/// who is anonymous, whose headers are believed, and that pages, the JSON API and the hub show the same namespaces.
/// </summary>
public sealed class ProxyHeadersTests(ProxyHeadersFixture fixture) : IClassFixture<ProxyHeadersFixture>
{
    [Fact]
    public async Task Anonymous_requests_are_sent_to_sign_in_from_pages_and_refused_by_the_api_and_the_hub()
    {
        using var anonymous = fixture.Server.CreatePlainClient();

        using var page = await anonymous.GetAsync("/jobs?namespace=team-a");
        using var api = await anonymous.GetAsync("/api/jobs?namespace=team-a");
        using var negotiate = await anonymous.PostAsync("/hubs/jobs/negotiate?negotiateVersion=1", null);
        using var circuit = await anonymous.PostAsync("/_blazor/negotiate?negotiateVersion=1", null);
        using var signIn = await anonymous.GetAsync("/signin");
        using var health = await anonymous.GetAsync("/healthz");
        await using var hub = fixture.Server.CreateHubConnection();

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/signin?returnUrl=", page.Headers.Location?.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, negotiate.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, circuit.StatusCode);
        Assert.Contains("not-signed-in", await signIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        // The hub client goes straight to WebSockets, so the 401 arrives as a refused upgrade.
        var refused = await Assert.ThrowsAsync<System.Net.WebSockets.WebSocketException>(() => hub.StartAsync());
        Assert.Equal("The server returned status code '401' when status code '101' was expected.", refused.Message);
    }

    [Fact]
    public async Task Proxy_headers_from_an_address_that_is_not_a_trusted_proxy_are_ignored()
    {
        // Requests come from 127.0.0.1; this server trusts only 10.0.0.1, so the headers are forged.
        await using var server = fixture.CreateServer("10.0.0.1");
        using var forger = server.CreatePlainClient("alice", "ml");

        using var page = await forger.GetAsync("/jobs?namespace=team-a");
        using var api = await forger.GetAsync("/api/jobs?namespace=team-a");
        await using var hub = server.CreateHubConnection("alice", "ml");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        // The hub client goes straight to WebSockets, so the 401 arrives as a refused upgrade.
        var refused = await Assert.ThrowsAsync<System.Net.WebSockets.WebSocketException>(() => hub.StartAsync());
        Assert.Equal("The server returned status code '401' when status code '101' was expected.", refused.Message);
    }

    [Fact]
    public async Task A_user_cannot_see_another_namespace_through_a_page_the_api_or_the_hub()
    {
        using var alice = fixture.Server.CreatePlainClient("alice");
        var someJobInTeamB = JobNames("team-b").First();

        using var allowedApi = await alice.GetAsync("/api/jobs?namespace=team-a");
        using var forbiddenApi = await alice.GetAsync("/api/jobs?namespace=team-b");
        using var forbiddenJob = await alice.GetAsync($"/api/jobs/team-b/{someJobInTeamB}");
        using var forbiddenPage = await alice.GetAsync("/jobs?namespace=team-b");
        using var forbiddenDetail = await alice.GetAsync($"/jobs/team-b/{someJobInTeamB}");
        using var forbiddenTimeline = await alice.GetAsync("/timeline?namespace=team-b");
        using var allowedPage = await alice.GetAsync("/jobs?namespace=team-a");

        Assert.Equal(HttpStatusCode.OK, allowedApi.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbiddenApi.StatusCode);
        Assert.Contains("team-b", await forbiddenApi.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, forbiddenJob.StatusCode);
        foreach (var page in new[] { forbiddenPage, forbiddenDetail, forbiddenTimeline })
        {
            Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
            var html = await page.Content.ReadAsStringAsync();
            Assert.Contains("data-testid=\"forbidden\"", html, StringComparison.Ordinal);
            Assert.Contains("team-b", html, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, allowedPage.StatusCode);
        Assert.DoesNotContain("data-testid=\"forbidden\"", await allowedPage.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await using var hub = fixture.Server.CreateHubConnection("alice");
        await hub.StartAsync();
        var refused = await Assert.ThrowsAsync<HubException>(async () =>
        {
            await foreach (var _ in hub.StreamAsync<JobStreamMessage>("StreamJobs", "team-b", null))
            {
            }
        });
        Assert.Contains("team-b", refused.Message, StringComparison.Ordinal);
        var streamed = await LiveKeysAsync(hub.StreamAsync<JobStreamMessage>("StreamJobs", "team-a", null));
        Assert.Equal(JobNames("team-a").Select(n => "team-a/" + n).Order(StringComparer.Ordinal), streamed);
    }

    [Fact]
    public async Task A_user_allowed_two_namespaces_sees_exactly_those_in_the_all_namespaces_view_and_the_namespace_list()
    {
        using var carol = fixture.Server.CreatePlainClient("carol");
        var expected = new[] { "research", "team-a" };
        var expectedJobs = expected.SelectMany(ns => JobNames(ns).Select(name => ns + "/" + name)).Order(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(JobNames("team-b")); // there is something to hide

        var namespaces = await GetJsonAsync(carol, "/api/namespaces");
        Assert.Equal(expected, namespaces.GetProperty("namespaces").EnumerateArray().Select(n => n.GetString()!).Order(StringComparer.Ordinal));

        var all = await ApiWait.UntilAsync(
            () => GetJsonAsync(carol, "/api/jobs"),
            body => body.GetProperty("sync").GetProperty("state").GetString() == "Live",
            "the all-namespaces cache is live");
        var shown = all.GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("namespace").GetString() + "/" + i.GetProperty("name").GetString())
            .Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(expectedJobs, shown);

        await using var hub = fixture.Server.CreateHubConnection("carol");
        await hub.StartAsync();
        Assert.Equal(expectedJobs, await LiveKeysAsync(hub.StreamAsync<JobStreamMessage>("StreamJobs", null, null)));

        // A group grants what the user alone does not: bob's group "ml" adds nothing new, but "ml" alone gives team-b.
        using var mlMember = fixture.Server.CreatePlainClient("dave", "ml");
        using var viaGroup = await mlMember.GetAsync("/api/jobs?namespace=team-b");
        using var notViaGroup = await mlMember.GetAsync("/api/jobs?namespace=team-a");
        Assert.Equal(HttpStatusCode.OK, viaGroup.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, notViaGroup.StatusCode);
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private string[] JobNames(string @namespace) =>
        [.. fixture.Emulator.Store.Snapshot(Dashboard.Emulator.Store.ResourceKind.PyTorchJobs).Items.Where(o => o.Namespace == @namespace).Select(o => o.Name)];

    /// <summary>Applies the snapshot and change batches until the cache is live; the keys seen then.</summary>
    private static async Task<string[]> LiveKeysAsync(IAsyncEnumerable<JobStreamMessage> stream)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var keys = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var message in stream.WithCancellation(timeout.Token))
        {
            keys.UnionWith(message.Jobs.Select(j => j.Namespace + "/" + j.Name));
            keys.ExceptWith(message.Deletes.Select(d => d.Namespace + "/" + d.Name));
            if (message.Sync.Phase == "Live")
            {
                return [.. keys.Order(StringComparer.Ordinal)];
            }
        }

        throw new InvalidOperationException("the stream ended before the cache was live");
    }
}
