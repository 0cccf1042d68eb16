using Dashboard.Emulator.Scenario;
using Dashboard.Model.PyTorchJobs;
using k8s;

namespace Dashboard.Emulator.Tests.Scenario;

public sealed class ScenarioDriverTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] Namespaces = ["team-a", "team-b", "research"];

    private static (ScenarioDriver Driver, InMemoryScenarioStore Store, ManualTimeProvider Time) Create(
        int seed = 42, int jobs = 60, double eventsPerSecond = 2, bool includeExample = true)
    {
        var time = new ManualTimeProvider(Start);
        var store = new InMemoryScenarioStore(time);
        var driver = new ScenarioDriver(store, new ScenarioSettings(Namespaces, jobs, seed, eventsPerSecond, includeExample), time);
        return (driver, store, time);
    }

    /// <summary>Seeds, then takes <paramref name="steps"/> steps with the clock moving a seeded 0–1 s between them
    /// (about the default 2 events per second); returns the changes made.</summary>
    private static int Play(ScenarioDriver driver, ManualTimeProvider time, int steps, int clockSeed, Action? afterEachStep = null)
    {
        var clock = new Random(clockSeed);
        driver.SeedInitialJobs();
        var changes = 0;
        for (var i = 0; i < steps; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(clock.Next(0, 1000)));
            var made = driver.Step();
            Assert.InRange(made, 0, 1);
            changes += made;
            afterEachStep?.Invoke();
        }

        return changes;
    }

    [Fact]
    public void SameSeedTellsTheSameStory_AnotherSeedAnother()
    {
        var first = Create(seed: 7);
        var second = Create(seed: 7);
        var other = Create(seed: 8);

        Play(first.Driver, first.Time, 250, clockSeed: 1);
        Play(second.Driver, second.Time, 250, clockSeed: 1);
        Play(other.Driver, other.Time, 250, clockSeed: 1);

        var story = first.Store.Writes;
        Assert.Equal(story.Count, second.Store.Writes.Count);
        Assert.Equal(story, second.Store.Writes); // records: kind, namespace, name and the full JSON (uids included)
        Assert.Contains(story, w => w.Kind == "DELETED"); // the story reaches TTL deletions and new arrivals
        Assert.NotEqual(story.Select(w => w.Name), other.Store.Writes.Select(w => w.Name));
    }

    [Fact]
    public void SeedingCreatesTheJobsSpreadOverNamespacesInVariedStages()
    {
        var (driver, store, _) = Create(jobs: 60);
        driver.SeedInitialJobs();
        driver.SeedInitialJobs(); // only the first call seeds

        foreach (var ns in Namespaces)
        {
            Assert.Equal(20, store.ListJobs(ns).Count);
        }

        var example = Assert.Single(store.ListJobs(ExampleJob.Namespace));
        Assert.Equal(ExampleJob.Name, example.Metadata.Name);

        var jobs = Namespaces.SelectMany(store.ListJobs).ToList();
        var now = Start.UtcDateTime;
        Assert.All(jobs, job => Assert.Empty(ScenarioInvariants.Violations(job, now)));
        Assert.All(jobs, job => Assert.True(job.Metadata.CreationTimestamp < now, "seeded jobs have a past"));

        // Varied stages: the state column shows the last condition's type.
        var states = jobs.Select(j => j.Status!.Conditions!.Last().Type).ToHashSet();
        Assert.Contains(JobConditionTypes.Created, states);
        Assert.Contains(JobConditionTypes.Running, states);
        Assert.Contains(JobConditionTypes.Succeeded, states);
        Assert.Contains(JobConditionTypes.Failed, states);
        Assert.Contains(JobConditionTypes.Suspended, states);

        // Realistic variety in specs.
        Assert.Contains(jobs, j => j.Spec!.ElasticPolicy is not null);
        Assert.Contains(jobs, j => j.Spec!.RunPolicy?.TtlSecondsAfterFinished is not null);
        Assert.Contains(jobs, j => j.Spec!.RunPolicy?.SchedulingPolicy?.Queue is not null);
        Assert.Contains(jobs, j => j.Spec!.PytorchReplicaSpecs![ReplicaTypes.Worker].Replicas >= 8);
        var containers = jobs.SelectMany(j => j.Spec!.PytorchReplicaSpecs!.Values).Select(r => r.Template!.Spec!.Containers[0]).ToList();
        Assert.Contains(containers, c => c.Resources?.Limits?.ContainsKey("nvidia.com/gpu") == true);
        Assert.Contains(containers, c => c.Env?.Any(e => e.ValueFrom?.SecretKeyRef is not null) == true);
        Assert.Contains(containers, c => c.Env?.Any(e => e.ValueFrom?.ConfigMapKeyRef is not null) == true);
        Assert.Contains(containers, c => c.Command?.FirstOrDefault() == "torchrun");
        Assert.All(jobs, j => Assert.Contains("team", j.Metadata.Labels.Keys));
        Assert.All(jobs, j => Assert.Contains("model", j.Metadata.Labels.Keys));
        Assert.All(containers, c => Assert.DoesNotContain("127.0.0.1", c.Image, StringComparison.Ordinal));
    }

    [Fact]
    public void LifecycleInvariantsHoldForEveryJobAfterEveryStep()
    {
        var (driver, store, time) = Create(seed: 3, jobs: 45);
        var frozenFailed = new Dictionary<(string, string), string>();
        var problems = new List<string>();

        var populations = new List<int>();
        var changes = Play(driver, time, 1000, clockSeed: 2, afterEachStep: () =>
        {
            var now = time.GetUtcNow().UtcDateTime;
            foreach (var job in Namespaces.SelectMany(store.ListJobs))
            {
                problems.AddRange(ScenarioInvariants.Violations(job, now));
                var key = (job.Metadata.NamespaceProperty, job.Metadata.Name);
                var json = KubernetesJson.Serialize(job); // resourceVersion included: any write shows
                if (ScenarioInvariants.IsTrue(job.Status, JobConditionTypes.Failed))
                {
                    if (frozenFailed.TryGetValue(key, out var before) && before != json) problems.Add($"{key}: changed after Failed");
                    frozenFailed[key] = json;
                }

            }

            populations.AddRange(Namespaces.Select(ns => store.ListJobs(ns).Count));
        });

        Assert.Empty(problems.Distinct().Take(20));
        Assert.True(changes > 950, $"only {changes} of 1000 steps changed something");

        // The story really moves: every lifecycle step and both ends of a job's life happened.
        var writes = store.Writes;
        var modified = writes.Where(w => w.Kind == "MODIFIED").Select(w => KubernetesJson.Deserialize<PyTorchJob>(w.Json)).ToList();
        Assert.Contains(modified, j => j.Status?.Conditions?.Last() is { Type: JobConditionTypes.Running, Status: "True" } && j.Status.Conditions.Any(c => c.Type == JobConditionTypes.Suspended && c.Status == "False"));
        Assert.Contains(modified, j => j.Status?.Conditions?.Last() is { Type: JobConditionTypes.Restarting, Status: "True" });
        Assert.Contains(modified, j => j.Status?.Conditions?.Last() is { Type: JobConditionTypes.Suspended, Reason: JobConditionReasons.Resumed });
        Assert.Contains(modified, j => j.Status?.Conditions?.Last() is { Type: JobConditionTypes.Succeeded });
        Assert.Contains(modified, j => j.Status?.Conditions?.Last() is { Type: JobConditionTypes.Failed });
        Assert.Contains(writes, w => w.Kind == "DELETED");
        Assert.Contains(writes.Skip(46), w => w.Kind == "ADDED");

        // Every created job, seeded or arriving, is valid, and arrivals come without a status as kubectl would send them.
        var added = writes.Where(w => w.Kind == "ADDED" && w.Namespace != ExampleJob.Namespace).Select(w => KubernetesJson.Deserialize<PyTorchJob>(w.Json)).ToList();
        Assert.All(added, j => Assert.Empty(ScenarioInvariants.Violations(j, time.GetUtcNow().UtcDateTime)));
        Assert.Contains(added, j => j.Status is null);

        // Populations stay roughly stable around their initial size (15 each): never far off, and mostly close.
        Assert.All(populations, count => Assert.InRange(count, 8, 23));
        Assert.InRange(populations.Average(), 12, 20);

        // The example job is never touched.
        Assert.Single(writes, w => w.Namespace == ExampleJob.Namespace);
    }

    [Fact]
    public void FinishedJobsAreDeletedOnceTheirTtlHasRunOut()
    {
        var (driver, store, time) = Create(seed: 11, jobs: 30, includeExample: false);
        driver.SeedInitialJobs();
        var deleted = new List<(DateTime At, PyTorchJob Job)>();
        for (var i = 0; i < 600; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            var before = Namespaces.SelectMany(store.ListJobs).ToDictionary(j => j.Metadata.Name + "/" + j.Metadata.NamespaceProperty);
            driver.Step();
            var last = store.Writes[^1];
            if (last.Kind == "DELETED")
            {
                deleted.Add((time.GetUtcNow().UtcDateTime, before[last.Name + "/" + last.Namespace]));
            }
        }

        Assert.True(deleted.Count >= 10, $"only {deleted.Count} deletions");
        foreach (var (at, job) in deleted)
        {
            var ttl = job.Spec!.RunPolicy?.TtlSecondsAfterFinished is { } seconds ? TimeSpan.FromSeconds(seconds) : driver.RetentionWithoutTtl;
            Assert.NotNull(job.Status?.CompletionTime);
            Assert.True(at >= job.Status!.CompletionTime + ttl, $"{job.Metadata.Name} deleted before its TTL");
        }
    }

    [Fact]
    public void ExampleJobIsLeftOutWhenNotWanted()
    {
        var (driver, store, _) = Create(includeExample: false, jobs: 3);
        driver.SeedInitialJobs();
        Assert.Empty(store.ListJobs(ExampleJob.Namespace));
        Assert.Equal(3, store.WriteCount);
    }

    [Fact]
    public async Task RunAsyncAppliesEventsPerSecondByTheClock()
    {
        var (driver, store, time) = Create(eventsPerSecond: 2);
        driver.SeedInitialJobs();
        var seeded = store.WriteCount;
        using var cts = new CancellationTokenSource();
        var run = driver.RunAsync(cts.Token);

        Assert.Equal(seeded, store.WriteCount); // nothing before the clock moves
        for (var k = 1; k <= 10; k++)
        {
            time.Advance(TimeSpan.FromMilliseconds(500));
            await ScenarioWait.UntilAsync(() => store.WriteCount >= seeded + k, $"change {k}");
            Assert.Equal(seeded + k, store.WriteCount); // exactly one change per half second
        }

        cts.Cancel();
        await run.WaitAsync(TimeSpan.FromSeconds(10)); // ends normally when cancelled
    }

    [Fact]
    public async Task RunAsyncCatchesUpWhenEventsComeFasterThanTicks()
    {
        // 150 a second is 1.5 changes per 10 ms tick (the shortest); 0.4 s stays well before every job has finished.
        var (driver, store, time) = Create(eventsPerSecond: 150);
        driver.SeedInitialJobs();
        var seeded = store.WriteCount;
        using var cts = new CancellationTokenSource();
        var reads = time.TimestampReads;
        var run = driver.RunAsync(cts.Token);
        await ScenarioWait.UntilAsync(() => time.TimestampReads > reads, "the loop to start");

        for (var tick = 1; tick <= 40; tick++)
        {
            reads = time.TimestampReads;
            time.Advance(TimeSpan.FromMilliseconds(10));
            await ScenarioWait.UntilAsync(() => time.TimestampReads > reads, $"tick {tick}");
        }

        await ScenarioWait.UntilAsync(() => store.WriteCount >= seeded + 59, "0.4 s worth of changes", () => $"{store.WriteCount - seeded} changes");
        Assert.InRange(store.WriteCount - seeded, 59, 61);
        cts.Cancel();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task PauseStopsChangesAndResumeRestartsThem()
    {
        var (driver, store, time) = Create(eventsPerSecond: 2);
        driver.SeedInitialJobs();
        using var cts = new CancellationTokenSource();
        var reads = time.TimestampReads;
        var run = driver.RunAsync(cts.Token);
        await ScenarioWait.UntilAsync(() => time.TimestampReads > reads, "the loop to start");

        var before = store.WriteCount;
        time.Advance(TimeSpan.FromMilliseconds(500));
        await ScenarioWait.UntilAsync(() => store.WriteCount == before + 1, "a change before pausing");

        driver.Pause();
        Assert.True(driver.IsPaused);
        var paused = store.WriteCount;
        for (var tick = 0; tick < 10; tick++)
        {
            reads = time.TimestampReads;
            time.Advance(TimeSpan.FromMilliseconds(500));
            await ScenarioWait.UntilAsync(() => time.TimestampReads > reads, "the paused loop to take its tick");
        }

        Assert.Equal(paused, store.WriteCount);

        driver.Resume();
        Assert.False(driver.IsPaused);
        reads = time.TimestampReads;
        time.Advance(TimeSpan.FromMilliseconds(500));
        await ScenarioWait.UntilAsync(() => time.TimestampReads > reads, "the resumed loop to take its tick");
        await ScenarioWait.UntilAsync(() => store.WriteCount > paused, "a change after resuming");
        Assert.Equal(paused + 1, store.WriteCount); // no burst for the paused time

        cts.Cancel();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ZeroEventsPerSecondReturnsAtOnce()
    {
        var (driver, store, _) = Create(eventsPerSecond: 0);
        driver.SeedInitialJobs();
        var seeded = store.WriteCount;
        var run = driver.RunAsync(CancellationToken.None);
        Assert.True(run.IsCompleted);
        await run;
        Assert.Equal(seeded, store.WriteCount);
    }

    [Fact]
    public void JobsDeletedThroughTheApiAreReplacedByNewArrivals()
    {
        var (driver, store, time) = Create(jobs: 6, includeExample: false);
        driver.SeedInitialJobs();
        foreach (var job in store.ListJobs("team-a"))
        {
            Assert.True(store.Delete("team-a", job.Metadata.Name));
        }

        for (var i = 0; i < 200 && store.ListJobs("team-a").Count < 2; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            driver.Step();
        }

        Assert.Equal(2, store.ListJobs("team-a").Count);
    }

    [Fact]
    public void JobsCreatedByOthersAreLeftAlone()
    {
        var (driver, store, time) = Create(jobs: 6, includeExample: false);
        driver.SeedInitialJobs();
        var mine = ExampleJob.Create();
        mine.Metadata.NamespaceProperty = "team-a";
        mine.Metadata.Name = "users-own-job";
        mine.Metadata.ResourceVersion = null;
        var stored = store.Create(mine);

        for (var i = 0; i < 300; i++)
        {
            time.Advance(TimeSpan.FromSeconds(2));
            driver.Step();
        }

        var after = Assert.Single(store.ListJobs("team-a"), j => j.Metadata.Name == "users-own-job");
        Assert.Equal(stored.Metadata.ResourceVersion, after.Metadata.ResourceVersion);
    }
}
