using Dashboard.Emulator;
using Dashboard.Kubernetes.Query;
using Dashboard.Kubernetes.Tests.Infrastructure;

namespace Dashboard.Kubernetes.Tests.Sync;

/// <summary>Each class of API failure shows as its own state, and clears by itself once the cause goes away.</summary>
public sealed class ErrorStatusTests
{
    [Fact]
    public async Task Unauthorized_shows_as_error_401_and_clears_with_the_right_token()
    {
        var emulatorOptions = TestService.QuietEmulator("team-a") with { Token = "secret" };
        await using var emulator = await EmulatorHost.StartAsync(emulatorOptions);
        using var connection = new SwitchableConnection(emulator.BaseAddress, token: "wrong");
        await using var test = await TestService.StartAsync(TestService.QuietEmulator("unused"), connection: connection);
        await using var state = new SubscriberState(await test.Service.SubscribeAsync("team-a", null, CancellationToken.None));

        await Wait.UntilAsync(() => state.Sync.Phase == SyncPhase.Error, "the state is Error");
        Assert.Equal(ApiErrorKind.Unauthorized, state.Sync.Error?.Kind);
        Assert.Equal(401, state.Sync.Error?.Code);
        Assert.Equal("Unauthorized", state.Sync.Error?.Reason);
        Assert.NotNull(state.Sync.NextAttemptAt);

        connection.SwitchTo(emulator.BaseAddress, token: "secret");
        await Wait.UntilAsync(() => state.Sync.Phase == SyncPhase.Live, "the state recovers to Live");
        Assert.Null(state.Sync.Error);
    }

    [Fact]
    public async Task Forbidden_shows_as_error_403_with_the_apis_message_and_clears()
    {
        await using var forbidden = await ForbiddenServer.StartAsync();
        using var connection = new SwitchableConnection(forbidden.BaseAddress);
        await using var test = await TestService.StartAsync(TestService.QuietEmulator("team-a"), connection: connection);
        test.Emulator.Store.Create(Jobs.Create("team-a", "visible"));
        await using var state = new SubscriberState(await test.Service.SubscribeAsync("team-a", null, CancellationToken.None));

        await Wait.UntilAsync(() => state.Sync.Phase == SyncPhase.Error, "the state is Error");
        Assert.Equal(ApiErrorKind.Forbidden, state.Sync.Error?.Kind);
        Assert.Equal(403, state.Sync.Error?.Code);
        Assert.Equal("Forbidden", state.Sync.Error?.Reason);
        Assert.Equal(ForbiddenServer.Message, state.Sync.Error?.Message);

        // Retried slowly, not in a tight loop.
        var requests = forbidden.Requests;
        Assert.InRange(requests, 1, 20);

        connection.SwitchTo(test.Emulator.BaseAddress);
        await Wait.UntilAsync(() => state.Sync.Phase == SyncPhase.Live && state.ResourceVersions().Count == 1, "the state recovers to Live with the job");
    }

    [Fact]
    public async Task A_missing_crd_shows_as_error_404_and_clears_once_it_is_installed()
    {
        await using var withoutCrd = await EmulatorHost.StartAsync(TestService.QuietEmulator("team-a") with { WithoutCrd = true });
        using var connection = new SwitchableConnection(withoutCrd.BaseAddress);
        await using var test = await TestService.StartAsync(TestService.QuietEmulator("team-a"), connection: connection);
        await using var state = new SubscriberState(await test.Service.SubscribeAsync("team-a", null, CancellationToken.None));

        await Wait.UntilAsync(() => state.Sync.Phase == SyncPhase.Error, "the state is Error");
        Assert.Equal(ApiErrorKind.CrdNotInstalled, state.Sync.Error?.Kind);
        Assert.Equal(404, state.Sync.Error?.Code);

        connection.SwitchTo(test.Emulator.BaseAddress);
        await Wait.UntilAsync(() => state.Sync.Phase == SyncPhase.Live, "the state recovers to Live");
    }

    [Fact]
    public async Task Server_errors_show_as_reconnecting_and_the_last_jobs_stay_until_the_faults_stop()
    {
        await using var test = await TestService.StartAsync(TestService.QuietEmulator("team-a"));
        test.Emulator.Store.Create(Jobs.Create("team-a", "kept"));
        await using var state = new SubscriberState(await test.Service.SubscribeAsync("team-a", null, CancellationToken.None));
        await Wait.UntilAsync(() => state.Sync.Phase == SyncPhase.Live && state.ResourceVersions().Count == 1, "the cache is live");

        // Every request fails and the open watch is cut after its next event, so the loop must reconnect.
        await test.Control.SetFaultsAsync(new FaultSettings(FailRate: 1.0, CutWatchAfter: 1));
        test.Emulator.Store.Create(Jobs.Create("team-a", "second"));
        await Wait.UntilAsync(() => state.Sync.Phase == SyncPhase.Reconnecting && state.Sync.Attempt >= 2, "the state is Reconnecting");
        Assert.Equal(ApiErrorKind.ServerError, state.Sync.Error?.Kind);
        Assert.Equal(500, state.Sync.Error?.Code);
        Assert.Equal(2, state.ResourceVersions().Count);

        await test.Control.ClearFaultsAsync();
        await Wait.UntilAsync(() => state.Sync.Phase == SyncPhase.Live, "the state recovers to Live");
        test.Emulator.Store.Create(Jobs.Create("team-a", "third"));
        await Wait.UntilAsync(() => state.ResourceVersions().Count == 3, "changes flow again");
        Assert.Equal(test.EmulatorState("team-a"), state.ResourceVersions());
    }
}
