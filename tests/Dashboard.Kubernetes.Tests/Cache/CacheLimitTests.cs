using Dashboard.Kubernetes.Configuration;
using Dashboard.Kubernetes.Query;
using Dashboard.Kubernetes.Tests.Infrastructure;

namespace Dashboard.Kubernetes.Tests.Cache;

/// <summary>Kubernetes:MaxCaches bounds the LIST + WATCH pairs the dashboard runs, whatever namespaces URLs name.</summary>
public sealed class CacheLimitTests
{
    private static KubernetesOptions TwoCaches()
    {
        var options = TestService.FastOptions();
        options.MaxCaches = 2;
        return options;
    }

    [Fact]
    public async Task A_namespace_past_the_limit_is_refused_while_every_cache_is_in_use_and_starts_nothing()
    {
        await using var test = await TestService.StartAsync(TestService.QuietEmulator("team-a", "team-b", "team-c"), TwoCaches());
        await using var a = await test.Service.SubscribeAsync("team-a", null, CancellationToken.None);
        await using var b = await test.Service.SubscribeAsync("team-b", null, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<CacheLimitException>(() => test.Service.SubscribeAsync("team-c", null, CancellationToken.None));
        await Assert.ThrowsAsync<CacheLimitException>(() => test.Service.SubscribeJobAsync("team-c", "some-job", CancellationToken.None));

        Assert.Contains("already watching 2 namespaces", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Kubernetes:MaxCaches", refused.Message, StringComparison.Ordinal);
        Assert.Equal(["team-a", "team-b"], test.Service.Caches.Caches.Keys.Order());
        var stats = await test.Control.StatsAsync();
        Assert.Equal(0, EmulatorControl.Count(stats, "listPagesByNamespace", "team-c"));

        // A namespace already running is not "another one": more subscribers on it are fine.
        await using var moreA = await test.Service.SubscribeAsync("team-a", "app=x", CancellationToken.None);
    }

    [Fact]
    public async Task An_idle_cache_in_its_grace_period_makes_way_for_a_new_namespace()
    {
        await using var test = await TestService.StartAsync(TestService.QuietEmulator("team-a", "team-b", "team-c"), TwoCaches());
        await using var a = await test.Service.SubscribeAsync("team-a", null, CancellationToken.None);
        var b = await test.Service.SubscribeAsync("team-b", null, CancellationToken.None);
        await Wait.UntilAsync(async () => EmulatorControl.Count(await test.Control.StatsAsync(), "watchesOpenNow", "team-b") == 1, "team-b is watched");
        await b.DisposeAsync(); // team-b idles in its 30 s grace period

        await using var c = await test.Service.SubscribeAsync("team-c", null, CancellationToken.None);
        await using var state = new SubscriberState(c);

        await Wait.UntilAsync(() => state.Sync.Phase == SyncPhase.Live, "team-c syncs");
        Assert.Equal(["team-a", "team-c"], test.Service.Caches.Caches.Keys.Order());
        await Wait.UntilAsync(async () => EmulatorControl.Count(await test.Control.StatsAsync(), "watchesOpenNow", "team-b") == 0, "team-b's watch is closed");
    }
}
