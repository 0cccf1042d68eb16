using Dashboard.Emulator;
using Dashboard.Kubernetes.Query;
using Dashboard.Kubernetes.Tests.Infrastructure;
using Dashboard.Model.PyTorchJobs;
using Dashboard.Model.Selectors;

namespace Dashboard.Kubernetes.Tests.Cache;

/// <summary>
/// Random writes while the emulator cuts watches, compacts its history (410 on watches and on continue
/// tokens mid-list) and fails a share of requests: once quiet, every cache and every subscriber's folded
/// state equal the emulator's state exactly.
/// </summary>
public sealed class ChaosTests
{
    private static readonly string[] Namespaces = ["team-a", "team-b"];
    private static readonly string[] Tiers = ["gold", "silver", "bronze"];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task Caches_and_subscribers_converge_on_the_emulators_state(int seed)
    {
        var random = new Random(seed);
        var options = TestService.FastOptions(pageSize: 4);
        await using var test = await TestService.StartAsync(TestService.QuietEmulator(Namespaces), options);
        var store = test.Emulator.Store;
        var next = 0;
        for (var i = 0; i < 30; i++)
        {
            store.Create(Jobs.Create(Namespaces[random.Next(2)], $"job-{next++}", RandomLabels(random)));
        }

        var selectors = new (string? Namespace, string? Selector)[]
        {
            ("team-a", null), ("team-a", "tier in (gold,silver)"), (null, null), (null, "!tier"), ("team-b", "tier=bronze,app"),
        };
        var subscribers = new List<(string? Namespace, LabelSelector Selector, SubscriberState State)>();
        foreach (var (ns, selector) in selectors)
        {
            subscribers.Add((ns, LabelSelector.Parse(selector), new SubscriberState(await test.Service.SubscribeAsync(ns, selector, CancellationToken.None))));
        }

        try
        {
            await test.Control.SetFaultsAsync(new FaultSettings(FailRate: 0.15, CutWatchAfter: 7, LatencyMs: 2));
            // Counted, not timed: a slow machine still reaches the sure outage at operation 100 and the chaos after it.
            const int TotalOperations = 500;
            for (var operations = 1; operations <= TotalOperations; operations++)
            {
                RandomWrite(store, random, ref next);
                if (operations % 60 == 0)
                {
                    await test.Control.CompactAsync();
                }

                if (operations == 100)
                {
                    // One sure outage: every watch is cut and cannot reconnect while the history is compacted
                    // past the caches' resourceVersions, so each must get a 410 and relist.
                    await test.Control.SetFaultsAsync(new FaultSettings(FailRate: 1.0, CutWatchAfter: 1));
                    foreach (var ns in Namespaces)
                    {
                        store.Create(Jobs.Create(ns, $"job-{next++}", RandomLabels(random)));
                    }

                    await Wait.UntilAsync(
                        async () => (await test.Control.StatsAsync()).GetProperty("watchesOpenNow").EnumerateObject().All(p => p.Value.GetInt32() == 0),
                        "every watch is cut");
                    RandomWrite(store, random, ref next);
                    await test.Control.CompactAsync();
                    await test.Control.SetFaultsAsync(new FaultSettings(FailRate: 0.15, CutWatchAfter: 7, LatencyMs: 2));
                }

                if (operations % 25 == 0)
                {
                    // A late subscriber joins mid-chaos: its snapshot plus batches must fold to the same state.
                    var ns = random.Next(2) == 0 ? "team-a" : null;
                    subscribers.Add((ns, LabelSelector.Everything, new SubscriberState(await test.Service.SubscribeAsync(ns, null, CancellationToken.None))));
                }

                await Task.Delay(random.Next(1, 4));
            }

            await test.Control.ClearFaultsAsync();

            // Once quiet, one more write proves the watches are alive again.
            store.Create(Jobs.Create("team-a", "final", RandomLabels(random)));
            await Wait.UntilAsync(
                () => test.Service.Caches.Caches.Values.All(c => Same(test.EmulatorState(c.Namespace.Length == 0 ? null : c.Namespace), c.ResourceVersions())),
                "every cache equals the emulator",
                TimeSpan.FromSeconds(30));

            // The chaos really happened: requests failed, watches were cut, and 410s forced relists.
            var stats = await test.Control.StatsAsync();
            Assert.True(stats.GetProperty("faultsServed").GetInt32() > 0, "no fault was served");
            var caches = test.Service.Caches.Caches.Values.ToList();
            Assert.True(caches.Sum(c => c.Counters.Failures) > 0, "no failure was seen");
            Assert.True(caches.Sum(c => c.Counters.Expired) > 0, "no 410 was seen");
            Assert.True(caches.Sum(c => c.Counters.ListsStarted) > caches.Count, "no relist happened");

            foreach (var (ns, selector, state) in subscribers)
            {
                await Wait.UntilAsync(
                    () => Same(Expected(test, ns, selector), state.ResourceVersions()),
                    $"the subscriber of '{ns}' with '{selector}' folds to the emulator's state",
                    TimeSpan.FromSeconds(10));
                Assert.Empty(state.Errors);
                // Only the failures the emulator injects (500s, cut connections, 410s): no exception of ours escaped into a state.
                Assert.DoesNotContain(state.Statuses, s => s.Error is { Kind: ApiErrorKind.Other, Code: not 410 });
            }
        }
        finally
        {
            foreach (var (_, _, state) in subscribers)
            {
                await state.DisposeAsync();
            }
        }
    }

    private static bool Same(IReadOnlyDictionary<string, string> expected, IReadOnlyDictionary<string, string> actual) =>
        expected.Count == actual.Count && expected.All(e => actual.TryGetValue(e.Key, out var rv) && rv == e.Value);

    private static Dictionary<string, string> Expected(TestService test, string? ns, LabelSelector selector) =>
        test.Emulator.Store.Snapshot(Dashboard.Emulator.Store.ResourceKind.PyTorchJobs).Items
            .Where(o => (ns is null || o.Namespace == ns) && selector.Matches(o.Labels))
            .ToDictionary(o => o.Namespace + "/" + o.Name, o => o.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);

    private static Dictionary<string, string> RandomLabels(Random random)
    {
        var labels = new Dictionary<string, string>();
        if (random.Next(4) != 0)
        {
            labels["tier"] = Tiers[random.Next(Tiers.Length)];
        }

        if (random.Next(2) == 0)
        {
            labels["app"] = "trainer";
        }

        return labels;
    }

    private static void RandomWrite(Dashboard.Emulator.Store.EmulatorStore store, Random random, ref int next)
    {
        var ns = Namespaces[random.Next(2)];
        var jobs = store.ListJobs(ns);
        var roll = random.Next(10);
        if (roll < 3 || jobs.Count == 0)
        {
            store.Create(Jobs.Create(ns, $"job-{next++}", RandomLabels(random)));
            return;
        }

        var job = jobs[random.Next(jobs.Count)];
        if (roll < 5)
        {
            store.Delete(ns, job.Metadata.Name);
        }
        else if (roll < 7)
        {
            job.Metadata.Labels = RandomLabels(random);
            store.Replace(job);
        }
        else
        {
            var type = random.Next(3) switch { 0 => JobConditionTypes.Running, 1 => JobConditionTypes.Restarting, _ => JobConditionTypes.Succeeded };
            job.Status ??= new JobStatus();
            job.Status.Conditions = [Jobs.Condition(JobConditionTypes.Created, "True", DateTime.UtcNow.AddMinutes(-1)), Jobs.Condition(type, "True", DateTime.UtcNow)];
            job.Status.ReplicaStatuses = new Dictionary<string, ReplicaStatus> { [ReplicaTypes.Worker] = new() { Active = random.Next(3), Failed = random.Next(2) } };
            store.Replace(job);
        }
    }
}
