using Dashboard.Kubernetes.Configuration;
using Dashboard.Kubernetes.Query;
using Dashboard.Kubernetes.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Dashboard.Kubernetes.Tests.Query;

public sealed class NamespaceAndDetailTests
{
    [Fact]
    public async Task Namespaces_come_from_the_api_when_it_allows()
    {
        await using var test = await TestService.StartAsync(TestService.QuietEmulator("team-a", "team-b"));
        var listing = await test.Service.GetNamespacesAsync(CancellationToken.None);

        Assert.True(listing.FromApi);
        Assert.Null(listing.Note);
        Assert.Contains("team-a", listing.Namespaces);
        Assert.Contains("team-b", listing.Namespaces);
    }

    [Fact]
    public async Task Namespaces_fall_back_to_the_configured_list_with_a_note_when_forbidden()
    {
        await using var forbidden = await ForbiddenServer.StartAsync();
        using var connection = new SwitchableConnection(forbidden.BaseAddress);
        var options = TestService.FastOptions();
        options.Namespaces = ["ml", "research"];
        await using var service = new JobQueryService(connection, Options.Create(options), TimeProvider.System, NullLoggerFactory.Instance);

        var listing = await service.GetNamespacesAsync(CancellationToken.None);

        Assert.False(listing.FromApi);
        Assert.Equal(["ml", "research"], listing.Namespaces);
        Assert.Contains("may not list namespaces", listing.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_passing_failure_to_list_namespaces_is_retried_soon_and_says_to_type_one()
    {
        await using var test = await TestService.StartAsync(TestService.QuietEmulator("team-a"));
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var service = new JobQueryService(
            Dashboard.Kubernetes.Connection.StaticKubernetesConnection.ForServer(test.Emulator.BaseAddress), Options.Create(TestService.FastOptions()), time, NullLoggerFactory.Instance);
        await test.Control.SetFaultsAsync(new Dashboard.Emulator.FaultSettings(FailRate: 1, FailStatus: 429, RetryAfterSeconds: 1));

        var failed = await service.GetNamespacesAsync(CancellationToken.None);
        await test.Control.ClearFaultsAsync();
        var reused = await service.GetNamespacesAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(6));
        var retried = await service.GetNamespacesAsync(CancellationToken.None);

        Assert.False(failed.FromApi);
        Assert.Equal("Namespaces could not be listed (429: Too many requests, please try again later.); type a namespace.", failed.Note);
        Assert.Same(failed, reused);
        Assert.True(retried.FromApi);
        Assert.Contains("team-a", retried.Namespaces);
    }

    [Theory]
    [InlineData("Team-A")]
    [InlineData("team_a")]
    [InlineData("-team")]
    [InlineData("a/b")]
    [InlineData("nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn")]
    public async Task A_namespace_name_kubernetes_could_never_hold_is_refused_before_any_cache_starts(string @namespace)
    {
        await using var test = await TestService.StartAsync(TestService.QuietEmulator("team-a"));

        var list = await Assert.ThrowsAsync<InvalidNamespaceException>(() => test.Service.SubscribeAsync(@namespace, null, CancellationToken.None));
        var detail = await Assert.ThrowsAsync<InvalidNamespaceException>(() => test.Service.SubscribeJobAsync(@namespace, "one", CancellationToken.None));

        Assert.StartsWith($"namespace \"{@namespace}\" is invalid: ", list.Message, StringComparison.Ordinal);
        Assert.Equal(list.Message, detail.Message);
        Assert.Empty(test.Service.Caches.Caches);
    }

    [Theory]
    [InlineData("team-a")]
    [InlineData("0")]
    [InlineData("a-1-b")]
    public async Task Valid_namespace_names_subscribe(string @namespace)
    {
        await using var test = await TestService.StartAsync(TestService.QuietEmulator("team-a"));

        await using var subscription = await test.Service.SubscribeAsync(@namespace, null, CancellationToken.None);

        Assert.Single(test.Service.Caches.Caches);
    }

    [Fact]
    public async Task A_job_detail_is_served_by_the_running_all_namespaces_cache()
    {
        await using var test = await TestService.StartAsync(TestService.QuietEmulator("team-a"));
        test.Emulator.Store.Create(Jobs.Create("team-a", "one"));
        await using var all = new SubscriberState(await test.Service.SubscribeAsync(null, null, CancellationToken.None));
        await Wait.UntilAsync(() => all.Sync.Phase == SyncPhase.Live, "the all-namespaces cache is live");

        await using var detail = await test.Service.SubscribeJobAsync("team-a", "one", CancellationToken.None);

        Assert.NotNull(detail.Current);
        Assert.Equal("one", detail.Current!.Job.Metadata.Name);
        Assert.Equal(SyncPhase.Live, detail.Sync.Phase);
        Assert.Equal([""], test.Service.Caches.Caches.Keys);
    }
}

public sealed class DetailStatusTests
{
    [Fact]
    public async Task A_status_change_keeps_the_known_job_in_the_detail()
    {
        await using var test = await TestService.StartAsync(TestService.QuietEmulator("team-a"));
        test.Emulator.Store.Create(Jobs.Create("team-a", "one"));
        await using var list = new SubscriberState(await test.Service.SubscribeAsync("team-a", null, CancellationToken.None));
        await Wait.UntilAsync(() => list.Sync.Phase == SyncPhase.Live, "the cache is live");
        await using var detail = await test.Service.SubscribeJobAsync("team-a", "one", CancellationToken.None);
        Assert.NotNull(detail.Current);

        var updates = new List<JobDetailUpdate>();
        var reader = Task.Run(async () =>
        {
            await foreach (var update in detail.Updates)
            {
                lock (updates)
                {
                    updates.Add(update);
                }
            }
        });

        await test.Control.SetFaultsAsync(new Dashboard.Emulator.FaultSettings(FailRate: 1.0, CutWatchAfter: 1));
        test.Emulator.Store.Create(Jobs.Create("team-a", "other"));
        await Wait.UntilAsync(() => { lock (updates) { return updates.Any(u => u.Sync.Phase == SyncPhase.Reconnecting); } }, "the detail hears the reconnect");
        lock (updates)
        {
            Assert.All(updates, u => Assert.Equal("one", u.Detail?.Job.Metadata.Name));
        }

        await detail.DisposeAsync();
        await reader;
    }
}
