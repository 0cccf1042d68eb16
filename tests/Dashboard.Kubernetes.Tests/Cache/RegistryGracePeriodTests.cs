using Dashboard.Kubernetes.Cache;
using Dashboard.Kubernetes.Connection;
using Dashboard.Kubernetes.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dashboard.Kubernetes.Tests.Cache;

public sealed class RegistryGracePeriodTests
{
    private static readonly TimeSpan GracePeriod = TimeSpan.FromMinutes(7);

    /// <summary>
    /// Real time for everything but the registry's grace-period timers, whose callbacks the test runs itself,
    /// including one whose timer was already disposed (a callback already queued when it was).
    /// </summary>
    private sealed class HeldGraceTimers : TimeProvider
    {
        public List<TimerCallback> Callbacks { get; } = [];

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime != GracePeriod)
            {
                return System.CreateTimer(callback, state, dueTime, period);
            }

            lock (Callbacks)
            {
                Callbacks.Add(_ => callback(state));
            }

            return System.CreateTimer(_ => { }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    [Fact]
    public async Task A_stale_grace_timer_does_not_stop_a_cache_released_again_since()
    {
        var time = new HeldGraceTimers();
        var options = TestService.FastOptions();
        options.CacheGracePeriod = GracePeriod;
        await using var emulator = await Dashboard.Emulator.EmulatorHost.StartAsync(TestService.QuietEmulator("team-a"));
        await using var registry = new JobCacheRegistry(StaticKubernetesConnection.ForServer(emulator.BaseAddress), options, time, new StringPool(), NullLoggerFactory.Instance);

        var cache = registry.Acquire("team-a");
        registry.Release(cache);
        Assert.Same(cache, registry.Acquire("team-a"));
        registry.Release(cache);
        Assert.Equal(2, time.Callbacks.Count);

        // The first timer's callback runs late: the second grace period is still running, the cache must stay.
        time.Callbacks[0](null);
        Assert.Same(cache, registry.Caches["team-a"]);

        // The second, current one stops it.
        time.Callbacks[1](null);
        Assert.False(registry.Caches.ContainsKey("team-a"));
    }
}
