using Dashboard.Kubernetes.Query;
using Dashboard.Kubernetes.Tests.Infrastructure;
using Dashboard.Model.PyTorchJobs;
using Microsoft.Extensions.Time.Testing;

namespace Dashboard.Kubernetes.Tests.History;

public sealed class ObservedHistoryTests
{
    [Fact]
    public async Task Running_restarting_running_is_recorded_although_the_status_keeps_one_running()
    {
        // The cache stamps each change with its clock when it applies the watch event. A fake clock set one
        // second further before each change makes "when it was observed" exact (steps well inside the watch's idle
        // limit, which runs on the same clock).
        var firstSeen = new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(firstSeen);
        await using var test = await TestService.StartAsync(TestService.QuietEmulator("team-a"), time: time);
        var store = test.Emulator.Store;
        var job = store.Create(Jobs.Create("team-a", "flappy", workers: 2));
        await using var detail = await test.Service.SubscribeJobAsync("team-a", "flappy", CancellationToken.None);
        var latest = detail.Current;
        var reader = Task.Run(async () =>
        {
            await foreach (var update in detail.Updates)
            {
                Volatile.Write(ref latest, update.Detail);
            }
        });

        await Wait.UntilAsync(() => Volatile.Read(ref latest) is not null, "the job is known");
        await Wait.UntilAsync(async () => EmulatorControl.Count(await test.Control.StatsAsync(), "watchesOpenNow", "team-a") == 1, "the watch is open");
        var cache = Assert.Single(test.Service.Caches.Caches.Values);
        var t0 = DateTime.UtcNow;
        var created = Jobs.Condition(JobConditionTypes.Created, "True", t0);
        var observedAt = new List<(string ResourceVersion, DateTimeOffset At)>();
        async Task ReplaceAtAsync(int second)
        {
            time.SetUtcNow(firstSeen.AddSeconds(second));
            job = store.Replace(job)!;
            var version = job.Metadata.ResourceVersion;
            await Wait.UntilAsync(() => cache.Find("team-a", "flappy")?.Summary.ResourceVersion == version, $"the cache applied version {version}");
            observedAt.Add((version, firstSeen.AddSeconds(second)));
        }

        SetStatus(job, [created, Jobs.Condition(JobConditionTypes.Running, "True", t0.AddSeconds(1))], active: 2, failed: 0);
        await ReplaceAtAsync(1);
        SetStatus(job, [created, Jobs.Condition(JobConditionTypes.Restarting, "True", t0.AddSeconds(2))], active: 1, failed: 1);
        await ReplaceAtAsync(2);
        SetStatus(job, [created, Jobs.Condition(JobConditionTypes.Running, "True", t0.AddSeconds(3))], active: 2, failed: 1);
        await ReplaceAtAsync(3);

        // Updates to the detail are paced by the batch interval on the same (fake) clock; every change is already stamped.
        await Wait.UntilAsync(
            () =>
            {
                time.Advance(TestService.FastOptions().BatchInterval);
                return Volatile.Read(ref latest)?.Summary.ResourceVersion == job.Metadata.ResourceVersion;
            },
            "the last version arrived");
        var final = Volatile.Read(ref latest)!;

        // The status alone shows Running once ...
        Assert.Single(final.Job.Status!.Conditions!, c => c.Type == JobConditionTypes.Running);

        // ... the observed history has the whole loop, in order, with the resourceVersions that carried it ...
        var transitions = final.History.Where(h => h.Kind == ObservedChangeKind.Condition && h.Condition!.Type != JobConditionTypes.Created)
            .Select(h => h.Condition!.Type)
            .ToArray();
        Assert.Equal([JobConditionTypes.Running, JobConditionTypes.Restarting, JobConditionTypes.Running], transitions);
        var workerCounts = final.History.Where(h => h.Kind == ObservedChangeKind.Replicas && h.ReplicaType == ReplicaTypes.Worker)
            .Select(h => (h.Replicas!.Active, h.Replicas.Failed))
            .ToArray();
        Assert.Equal([(0, 0), (2, 0), (1, 1), (2, 1)], workerCounts);
        Assert.Equal(job.Metadata.ResourceVersion, final.History[^1].ResourceVersion);

        // ... and each entry carries the time its version was observed: first seen for the seed, then one second per change.
        var seedVersion = final.History[0].ResourceVersion;
        Assert.All(final.History.Where(h => h.ResourceVersion == seedVersion), h => Assert.Equal(firstSeen, h.ObservedAt));
        Assert.Equal(
            observedAt.Select(o => o.At).ToArray(),
            final.History.Where(h => h.ResourceVersion != seedVersion).GroupBy(h => h.ResourceVersion).Select(g => Assert.Single(g.Select(h => h.ObservedAt).Distinct())).ToArray());
        Assert.Equal(
            observedAt.Select(o => o.ResourceVersion).ToArray(),
            final.History.Where(h => h.ResourceVersion != seedVersion).Select(h => h.ResourceVersion).Distinct().ToArray());

        time.SetUtcNow(firstSeen.AddSeconds(4));
        store.Delete("team-a", "flappy");
        await Wait.UntilAsync(
            () =>
            {
                time.Advance(TestService.FastOptions().BatchInterval);
                return Volatile.Read(ref latest) is { Deleted: true };
            },
            "the deletion is seen");
        var deleted = Volatile.Read(ref latest)!.History[^1];
        Assert.Equal(ObservedChangeKind.Deleted, deleted.Kind);
        Assert.True(deleted.ObservedAt >= firstSeen.AddSeconds(4), $"the deletion was stamped {deleted.ObservedAt:O}, before it happened");

        await detail.DisposeAsync();
        await reader;
    }

    private static void SetStatus(PyTorchJob job, List<JobCondition> conditions, int active, int failed)
    {
        job.Status = new JobStatus
        {
            Conditions = conditions,
            ReplicaStatuses = new Dictionary<string, ReplicaStatus>
            {
                [ReplicaTypes.Master] = new() { Active = 1 },
                [ReplicaTypes.Worker] = new() { Active = active, Failed = failed },
            },
        };
    }
}
