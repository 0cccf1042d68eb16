using Dashboard.Hubs;
using Dashboard.Kubernetes.Query;
using Dashboard.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dashboard.Tests.Hubs;

/// <summary>The hub alone, over real WebSockets, in front of a hand-written query service.</summary>
public sealed class JobsHubTests : IAsyncLifetime
{
    private readonly FakeJobQueryService _queries = new();
    private readonly TempFolder _folder = new("hub-tests-");
    private readonly string _kubeConfig;
    private readonly HubTestServer _server;

    public JobsHubTests()
    {
        _kubeConfig = _folder.WriteKubeConfig(new Uri("http://127.0.0.1:9"));
        _server = new HubTestServer(FakeServerSettings(_kubeConfig), services =>
        {
            services.RemoveAll<IJobQueryService>();
            services.AddSingleton<IJobQueryService>(_queries);
        });
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _folder.Dispose();
    }

    [Theory]
    [InlineData(HubProtocol.Json)]
    [InlineData(HubProtocol.MessagePack)]
    public async Task Streams_the_snapshot_then_each_batch_with_every_field_intact(HubProtocol protocol)
    {
        var running = FakeJobQueryService.Job("team-a", "bert");
        _queries.Jobs = [running, FakeJobQueryService.Job("team-a", "resnet")];
        await using var connection = await _server.ConnectAsync(protocol);
        using var stop = new CancellationTokenSource();
        await using var stream = connection.StreamAsync<JobStreamMessage>("StreamJobs", "team-a", "app", stop.Token).GetAsyncEnumerator();

        var snapshot = await NextAsync(stream);
        Assert.Equal(JobStreamMessage.SnapshotKind, snapshot.Kind);
        Assert.Equal(("team-a", "app", "100"), (snapshot.Namespace, snapshot.LabelSelector, snapshot.ResourceVersion));
        Assert.Equal("Live", snapshot.Sync.Phase);
        Assert.Equal(new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), snapshot.Sync.LastSyncedAt);
        Assert.Equal(["bert", "resnet"], snapshot.Jobs.Select(j => j.Name));
        Assert.Empty(snapshot.Deletes);
        var bert = snapshot.Jobs[0];
        // Written out from FakeJobQueryService.Job's values, not through the production mapper, so a field the mapper
        // drops, swaps or mistranslates shows up here. Labels are compared on their own (dictionaries compare by reference).
        var expected = new JobSummaryDto(
            "team-a",
            "bert",
            "uid-bert",
            "1",
            new DateTime(2026, 1, 1, 10, 0, 0, DateTimeKind.Utc),
            bert.Labels,
            "Running",
            "PyTorchJobRunning",
            "PyTorchJob bert is running.",
            new DateTime(2026, 1, 1, 12, 0, 5, DateTimeKind.Utc),
            null,
            new ReplicaCountsDto(1, 1, 0, 0),
            new ReplicaCountsDto(2, 1, 0, 1),
            "docker.io/kubeflowkatib/pytorch-mnist:v1beta1-45c5727",
            false);
        Assert.Equal(expected, bert);
        Assert.Equal(new Dictionary<string, string> { ["app"] = "bert", ["team"] = "team-a" }, bert.Labels);
        Assert.Equal(DateTimeKind.Utc, bert.CreatedAt!.Value.Kind);
        Assert.Equal(DateTimeKind.Utc, bert.StartTime!.Value.Kind);

        var subscription = Assert.Single(_queries.Open);
        Assert.Equal(("team-a", "app"), (subscription.Namespace, subscription.LabelSelector));

        var succeeded = FakeJobQueryService.Job("team-a", "bert", JobState.Succeeded, resourceVersion: "101");
        var reconnecting = new SyncStatus(SyncPhase.Reconnecting, Attempt: 2, Error: new ApiError(ApiErrorKind.ServerError, 500, "InternalError", "etcd is sad"));
        subscription.Batches.Writer.TryWrite(new JobChangeBatch([JobChange.Upsert(succeeded), JobChange.Delete("team-a", "resnet")], "102", reconnecting));

        var changes = await NextAsync(stream);
        Assert.Equal(JobStreamMessage.ChangesKind, changes.Kind);
        Assert.False(changes.IsSnapshot);
        Assert.Equal(("team-a", "app", "102"), (changes.Namespace, changes.LabelSelector, changes.ResourceVersion));
        Assert.Equal(("Succeeded", "101"), (Assert.Single(changes.Jobs).State, changes.Jobs[0].ResourceVersion));
        Assert.Equal(new JobKeyDto("team-a", "resnet"), Assert.Single(changes.Deletes));
        Assert.Equal(("Reconnecting", 2), (changes.Sync.Phase, changes.Sync.Attempt));
        Assert.Equal(new ApiErrorDto("ServerError", 500, "InternalError", "etcd is sad"), changes.Sync.Error);

        // A batch that only changes the sync state still arrives.
        subscription.Batches.Writer.TryWrite(new JobChangeBatch([], "102", FakeJobQueryService.Live));
        var syncOnly = await NextAsync(stream);
        Assert.Equal(("Live", 0, 0), (syncOnly.Sync.Phase, syncOnly.Jobs.Count, syncOnly.Deletes.Count));
    }

    [Fact]
    public async Task Only_the_last_change_of_a_job_within_a_batch_is_sent()
    {
        await using var connection = await _server.ConnectAsync(HubProtocol.Json);
        await using var stream = connection.StreamAsync<JobStreamMessage>("StreamJobs", "team-a", null).GetAsyncEnumerator();
        await NextAsync(stream);
        var subscription = Assert.Single(_queries.Open);

        subscription.Batches.Writer.TryWrite(new JobChangeBatch(
            [
                JobChange.Upsert(FakeJobQueryService.Job("team-a", "gone")),
                JobChange.Delete("team-a", "gone"),
                JobChange.Delete("team-a", "recreated"),
                JobChange.Upsert(FakeJobQueryService.Job("team-a", "recreated", resourceVersion: "7")),
            ],
            "7",
            FakeJobQueryService.Live));

        var changes = await NextAsync(stream);
        Assert.Equal(("recreated", "7"), (Assert.Single(changes.Jobs).Name, changes.Jobs[0].ResourceVersion));
        Assert.Equal("gone", Assert.Single(changes.Deletes).Name);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public async Task No_namespace_means_all_namespaces(string? @namespace)
    {
        await using var connection = await _server.ConnectAsync(HubProtocol.MessagePack);
        await using var stream = connection.StreamAsync<JobStreamMessage>("StreamJobs", @namespace, "").GetAsyncEnumerator();

        var snapshot = await NextAsync(stream);

        Assert.Null(snapshot.Namespace);
        Assert.Null(Assert.Single(_queries.Open).Namespace);
    }

    [Theory]
    [InlineData(HubProtocol.Json)]
    [InlineData(HubProtocol.MessagePack)]
    public async Task A_malformed_selector_fails_the_call_with_the_parse_message(HubProtocol protocol)
    {
        await using var connection = await _server.ConnectAsync(protocol);

        var error = await Assert.ThrowsAsync<HubException>(async () =>
        {
            await foreach (var _ in connection.StreamAsync<JobStreamMessage>("StreamJobs", "team-a", FakeJobQueryService.MalformedSelector))
            {
            }
        });

        Assert.EndsWith("HubException: " + FakeJobQueryService.ParseMessage, error.Message, StringComparison.Ordinal);
        Assert.Empty(_queries.Open);
        Assert.Equal(HubConnectionState.Connected, connection.State);
    }

    [Fact]
    public async Task An_invocation_over_the_receive_limit_is_refused_before_it_reaches_the_hub()
    {
        await using var connection = await _server.ConnectAsync(HubProtocol.Json);
        var huge = "app in (" + string.Join(',', Enumerable.Range(0, 8_000).Select(i => $"v{i}")) + ")";
        Assert.True(huge.Length > JobHubEndpoints.MaximumReceiveMessageSize);

        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += error =>
        {
            closed.TrySetResult(error);
            return Task.CompletedTask;
        };

        var refused = await Assert.ThrowsAsync<HubException>(async () =>
        {
            await foreach (var _ in connection.StreamAsync<JobStreamMessage>("StreamJobs", "team-a", huge))
            {
            }
        });

        // The server drops a connection that sends an oversized message rather than answering the invocation.
        Assert.Equal("The server closed the connection with the following error: Connection closed with an error.", refused.Message);
        Assert.IsType<HubException>(await closed.Task.WaitAsync(Eventually.DefaultTimeout));
        Assert.Equal(HubConnectionState.Disconnected, connection.State);
        Assert.Empty(_queries.Open);
        Assert.Equal(0, _queries.SubscribeCalls);
    }

    [Fact]
    public async Task Cancelling_the_stream_releases_the_subscription_and_keeps_the_connection()
    {
        await using var connection = await _server.ConnectAsync(HubProtocol.Json);
        using var stop = new CancellationTokenSource();
        var stream = connection.StreamAsync<JobStreamMessage>("StreamJobs", "team-a", null, stop.Token).GetAsyncEnumerator();
        await NextAsync(stream);
        Assert.Single(_queries.Open);

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await stream.MoveNextAsync());
        await stream.DisposeAsync();

        await Eventually.TrueAsync(() => _queries.Open.Count == 0, "the cancelled stream's subscription is released");
        Assert.Equal(HubConnectionState.Connected, connection.State);
    }

    [Fact]
    public async Task Dropping_the_connection_releases_every_subscription_it_held()
    {
        var connection = await _server.ConnectAsync(HubProtocol.MessagePack);
        var first = connection.StreamAsync<JobStreamMessage>("StreamJobs", "team-a", null).GetAsyncEnumerator();
        var second = connection.StreamAsync<JobStreamMessage>("StreamJobs", null, "app=x").GetAsyncEnumerator();
        await NextAsync(first);
        await NextAsync(second);
        await using var other = await _server.ConnectAsync(HubProtocol.Json);
        await using var survivor = other.StreamAsync<JobStreamMessage>("StreamJobs", "team-a", null).GetAsyncEnumerator();
        await NextAsync(survivor);
        Assert.Equal(3, _queries.Open.Count);

        await connection.DisposeAsync();

        await Eventually.TrueAsync(() => _queries.Open.Count == 1, "the dropped connection's two subscriptions are released");
        var remaining = Assert.Single(_queries.Open);
        remaining.Batches.Writer.TryWrite(new JobChangeBatch([JobChange.Delete("team-a", "x")], "5", FakeJobQueryService.Live));
        Assert.Equal("x", Assert.Single((await NextAsync(survivor)).Deletes).Name);
    }

    [Fact]
    public async Task A_namespace_the_access_check_refuses_fails_the_call_before_subscribing()
    {
        await using var server = new HubTestServer(
            FakeServerSettings(_kubeConfig),
            services =>
            {
                services.RemoveAll<IJobQueryService>();
                services.AddSingleton<IJobQueryService>(_queries);
                services.RemoveAll<INamespaceAccess>();
                services.AddSingleton<INamespaceAccess>(new OnlyNamespace("team-a"));
            });
        await using var connection = await server.ConnectAsync(HubProtocol.Json);

        var error = await Assert.ThrowsAsync<HubException>(async () =>
        {
            await foreach (var _ in connection.StreamAsync<JobStreamMessage>("StreamJobs", "team-b", null))
            {
            }
        });
        await using var allowed = connection.StreamAsync<JobStreamMessage>("StreamJobs", "team-a", null).GetAsyncEnumerator();
        await NextAsync(allowed);

        Assert.Contains("team-b", error.Message, StringComparison.Ordinal);
        Assert.Equal("team-a", Assert.Single(_queries.Open).Namespace);
    }

    private static async Task<JobStreamMessage> NextAsync(IAsyncEnumerator<JobStreamMessage> stream)
    {
        var next = stream.MoveNextAsync().AsTask();
        var finished = await Task.WhenAny(next, Task.Delay(Eventually.DefaultTimeout));
        Assert.True(finished == next, "no stream message in time");
        Assert.True(await next, "the stream ended");
        return stream.Current;
    }

    // KubeConfig mode against an address nothing listens on: the fake answers every query, and no embedded
    // emulator host is built inside the app (a host built while WebApplicationFactory listens for the app's
    // host can be handed the factory's test hooks). The app's own readiness subscription goes to a namespace
    // the fake leaves out of Open.
    private static Dictionary<string, string?> FakeServerSettings(string kubeConfig) => new()
    {
        ["Kubernetes:Mode"] = "KubeConfig",
        ["Kubernetes:KubeConfigPath"] = kubeConfig,
        ["Kubernetes:Namespaces:0"] = FakeJobQueryService.AppNamespace,
    };

    private sealed class OnlyNamespace(string allowed) : INamespaceAccess
    {
        public ValueTask<bool> CanReadAsync(System.Security.Claims.ClaimsPrincipal user, string? @namespace, CancellationToken cancellationToken) =>
            ValueTask.FromResult(@namespace == allowed);
    }
}
