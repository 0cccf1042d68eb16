using Dashboard.Kubernetes.Query;
using Dashboard.Kubernetes.Tests.Infrastructure;
using Dashboard.Model.PyTorchJobs;

namespace Dashboard.Kubernetes.Tests.History;

public sealed class ObservedHistoryTests
{
    [Fact]
    public async Task Running_restarting_running_is_recorded_although_the_status_keeps_one_running()
    {
        await using var test = await TestService.StartAsync(TestService.QuietEmulator("team-a"));
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
        var t0 = DateTime.UtcNow;
        var created = Jobs.Condition(JobConditionTypes.Created, "True", t0);
        SetStatus(job, [created, Jobs.Condition(JobConditionTypes.Running, "True", t0.AddSeconds(1))], active: 2, failed: 0);
        job = store.Replace(job)!;
        SetStatus(job, [created, Jobs.Condition(JobConditionTypes.Restarting, "True", t0.AddSeconds(2))], active: 1, failed: 1);
        job = store.Replace(job)!;
        SetStatus(job, [created, Jobs.Condition(JobConditionTypes.Running, "True", t0.AddSeconds(3))], active: 2, failed: 1);
        job = store.Replace(job)!;

        await Wait.UntilAsync(() => Volatile.Read(ref latest)?.Summary.ResourceVersion == job.Metadata.ResourceVersion, "the last version arrived");
        var final = Volatile.Read(ref latest)!;

        // The status alone shows Running once ...
        Assert.Single(final.Job.Status!.Conditions!, c => c.Type == JobConditionTypes.Running);

        // ... the observed history has the whole loop, in order, with the resourceVersions that carried it.
        var transitions = final.History.Where(h => h.Kind == ObservedChangeKind.Condition && h.Condition!.Type != JobConditionTypes.Created)
            .Select(h => h.Condition!.Type)
            .ToArray();
        Assert.Equal([JobConditionTypes.Running, JobConditionTypes.Restarting, JobConditionTypes.Running], transitions);
        var workerCounts = final.History.Where(h => h.Kind == ObservedChangeKind.Replicas && h.ReplicaType == ReplicaTypes.Worker)
            .Select(h => (h.Replicas!.Active, h.Replicas.Failed))
            .ToArray();
        Assert.Equal([(0, 0), (2, 0), (1, 1), (2, 1)], workerCounts);
        Assert.Equal(job.Metadata.ResourceVersion, final.History[^1].ResourceVersion);
        Assert.All(final.History.Zip(final.History.Skip(1)), pair => Assert.True(pair.First.ObservedAt <= pair.Second.ObservedAt));

        store.Delete("team-a", "flappy");
        await Wait.UntilAsync(() => Volatile.Read(ref latest) is { Deleted: true }, "the deletion is seen");
        Assert.Equal(ObservedChangeKind.Deleted, Volatile.Read(ref latest)!.History[^1].Kind);

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
