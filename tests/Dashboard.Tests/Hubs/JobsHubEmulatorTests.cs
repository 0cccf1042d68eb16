using Dashboard.Hubs;
using Dashboard.Model.Selectors;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Dashboard.Tests.Hubs;

/// <summary>
/// The hub in front of the real query service and the emulator over loopback HTTP, with real SignalR clients
/// over WebSockets: what the emulator writes is what a client sees, and clients cost the API nothing extra.
/// </summary>
public sealed class JobsHubEmulatorTests(EmulatorHubFixture fixture) : IClassFixture<EmulatorHubFixture>
{
    private readonly HubTestServer _server = fixture.Server;
    private readonly EmulatorClient _emulator = fixture.Client;

    [Theory]
    [InlineData(HubProtocol.Json)]
    [InlineData(HubProtocol.MessagePack)]
    public async Task A_namespace_streams_its_snapshot_then_the_emulators_changes(HubProtocol protocol)
    {
        const string ns = "hub-a";
        var expected = await _emulator.CountAsync("objects", ns);
        await using var connection = await _server.ConnectAsync(protocol);
        await using var view = new JobView(connection, ns, null);

        await Eventually.TrueAsync(() => view.IsLiveWith(expected), $"the view of {ns} is live with its {expected} jobs");
        var snapshot = view.Messages[0];
        Assert.True(snapshot.IsSnapshot);
        Assert.Equal(ns, snapshot.Namespace);
        Assert.All(view.Jobs.Values, job => Assert.Equal(ns, job.Namespace));

        var name = $"added-{protocol}".ToLowerInvariant();
        await _emulator.CreateJobAsync(ns, name, new Dictionary<string, string> { ["app"] = name });
        await Eventually.TrueAsync(() => view.Has(ns, name), $"{name} arrives as an upsert");
        Assert.Equal(name, view.Jobs[(ns, name)].Labels["app"]);

        await _emulator.DeleteJobAsync(ns, name);
        await Eventually.TrueAsync(() => !view.Has(ns, name), $"{name} arrives as a delete");
        Assert.Equal("delete", view.HistoryOf(ns, name)[^1]);
        Assert.All(view.Messages.Skip(1), message => Assert.Equal(JobStreamMessage.ChangesKind, message.Kind));
    }

    [Fact]
    public async Task All_namespaces_stream_every_namespace_and_their_changes()
    {
        var stats = await _emulator.StatsAsync();
        var expected = stats.GetProperty("objects").EnumerateObject().Sum(n => n.Value.GetInt32());
        await using var connection = await _server.ConnectAsync(HubProtocol.MessagePack);
        await using var view = new JobView(connection, "", null);

        await Eventually.TrueAsync(() => view.IsLiveWith(expected), $"the all-namespaces view is live with {expected} jobs");
        Assert.Null(view.Messages[0].Namespace);
        Assert.Equal(EmulatorHubFixture.Namespaces.Length, view.Jobs.Keys.Select(k => k.Namespace).Distinct().Count());

        await _emulator.CreateJobAsync("hub-e", "everywhere", new Dictionary<string, string> { ["app"] = "everywhere" });
        await Eventually.TrueAsync(() => view.Has("hub-e", "everywhere"), "a job created in hub-e arrives");
        await _emulator.DeleteJobAsync("hub-e", "everywhere");
        await Eventually.TrueAsync(() => !view.Has("hub-e", "everywhere"), "its delete arrives");
    }

    [Fact]
    public async Task A_job_entering_and_leaving_the_selector_arrives_as_upsert_then_delete()
    {
        const string ns = "hub-b";
        await using var connection = await _server.ConnectAsync(HubProtocol.Json);
        await using var view = new JobView(connection, ns, "tier=gold");
        await Eventually.TrueAsync(() => view.Phase == "Live", "the selector view is live");

        await _emulator.CreateJobAsync(ns, "shifty", new Dictionary<string, string> { ["tier"] = "silver" });
        await _emulator.SetLabelAsync(ns, "shifty", "tier", "gold");
        await Eventually.TrueAsync(() => view.Has(ns, "shifty"), "the job arrives once it matches");
        await _emulator.SetLabelAsync(ns, "shifty", "tier", "bronze");
        await Eventually.TrueAsync(() => !view.Has(ns, "shifty"), "the job leaves once it no longer matches");

        // The silver version never matched, so it was never sent.
        Assert.Equal(["upsert:tier=gold", "delete"], view.HistoryOf(ns, "shifty"));
        Assert.All(view.Jobs.Values, job => Assert.Equal("gold", job.Labels["tier"]));
    }

    [Theory]
    [InlineData(HubProtocol.Json)]
    [InlineData(HubProtocol.MessagePack)]
    public async Task A_malformed_selector_fails_the_call_with_the_parse_message(HubProtocol protocol)
    {
        const string malformed = "app in (a";
        Assert.False(LabelSelector.TryParse(malformed, out _, out var parseMessage));
        await using var connection = await _server.ConnectAsync(protocol);

        var error = await Assert.ThrowsAsync<HubException>(async () =>
        {
            await foreach (var _ in connection.StreamAsync<JobStreamMessage>("StreamJobs", "hub-c", malformed))
            {
            }
        });

        Assert.Contains(parseMessage!, error.Message, StringComparison.Ordinal);
        Assert.Equal(HubConnectionState.Connected, connection.State);
    }

    [Fact]
    public async Task A_client_that_drops_mid_stream_leaves_no_watch_behind()
    {
        const string ns = "hub-c";
        var connection = await _server.ConnectAsync(HubProtocol.MessagePack);
        var view = new JobView(connection, ns, null);
        await Eventually.TrueAsync(() => view.Phase == "Live", "the stream is live");
        Assert.Equal(1, await _emulator.CountAsync("watchesOpenNow", ns));

        await connection.DisposeAsync();

        // The hub releases the subscription; after the one-second grace period the cache stops its watch.
        await Eventually.TrueAsync(async () => await _emulator.CountAsync("watchesOpenNow", ns) == 0, $"the watch of {ns} closes");
        await view.DisposeAsync();
    }

    [Fact]
    public async Task A_hundred_clients_on_one_namespace_share_one_watch()
    {
        const string ns = "hub-d";
        const int clients = 100;
        var expected = await _emulator.CountAsync("objects", ns);
        var connections = await Task.WhenAll(Enumerable.Range(0, clients)
            .Select(i => _server.ConnectAsync(i % 2 == 0 ? HubProtocol.Json : HubProtocol.MessagePack)));
        var views = connections.Select(c => new JobView(c, ns, null)).ToArray();
        try
        {
            await Eventually.TrueAsync(() => views.All(v => v.IsLiveWith(expected)), $"all {clients} views are live");

            await _emulator.CreateJobAsync(ns, "for-everyone", new Dictionary<string, string> { ["app"] = "shared" });
            await Eventually.TrueAsync(() => views.All(v => v.Has(ns, "for-everyone")), $"all {clients} clients see the new job");

            Assert.Equal(1, await _emulator.CountAsync("watchesOpenNow", ns));
            Assert.Equal(1, await _emulator.CountAsync("watchesOpenedByNamespace", ns));
        }
        finally
        {
            foreach (var view in views)
            {
                await view.DisposeAsync();
            }

            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }
}
