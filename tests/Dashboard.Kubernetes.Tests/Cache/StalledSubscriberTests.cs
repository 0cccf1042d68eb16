using Dashboard.Kubernetes.Cache;
using Dashboard.Kubernetes.Query;
using Dashboard.Kubernetes.Tests.Infrastructure;
using Dashboard.Model.Selectors;

namespace Dashboard.Kubernetes.Tests.Cache;

/// <summary>A subscriber that stops reading (a frozen tab, a slow hub client) must not make the server hold an ever-growing queue.</summary>
public sealed class StalledSubscriberTests
{
    [Fact]
    public async Task Changes_wait_merged_per_job_so_a_stalled_reader_holds_one_per_job()
    {
        var subscriber = new CacheSubscriber(LabelSelector.Everything);
        for (var i = 0; i < 100_000; i++)
        {
            subscriber.Post(new CacheSubscriber.Item(JobChange.Delete("team-a", $"job-{i % 10}"), null, $"{i + 1}"));
        }

        subscriber.Post(new CacheSubscriber.Item(null, new SyncStatus(SyncPhase.Stale), "100001"));

        Assert.Equal(10, subscriber.PendingCount);

        await using var batches = subscriber.ReadBatchesAsync("0", new SyncStatus(SyncPhase.Live), TimeProvider.System, TimeSpan.FromMilliseconds(100))
            .GetAsyncEnumerator();
        Assert.True(await batches.MoveNextAsync());
        var batch = batches.Current;
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"job-{i}"), batch.Changes.Select(c => c.Name));
        Assert.Equal("100001", batch.ResourceVersion);
        Assert.Equal(SyncPhase.Stale, batch.Sync.Phase);
        Assert.Equal(0, subscriber.PendingCount);
    }

    [Fact]
    public async Task A_subscriber_that_resumes_reading_gets_each_jobs_latest_state_once()
    {
        await using var test = await TestService.StartAsync(TestService.QuietEmulator("team-a"));
        var jobs = Enumerable.Range(0, 10).Select(i => test.Emulator.Store.Create(Jobs.Create("team-a", $"busy-{i}"))).ToList();
        await using var reading = new SubscriberState(await test.Service.SubscribeAsync("team-a", null, CancellationToken.None));
        await using var stalled = await test.Service.SubscribeAsync("team-a", null, CancellationToken.None);
        await Wait.UntilAsync(() => reading.Sync.Phase == SyncPhase.Live, "the cache is live");

        // 2,000 updates while the stalled subscriber reads nothing.
        for (var round = 0; round < 200; round++)
        {
            foreach (var job in jobs)
            {
                job.Metadata.Labels = new Dictionary<string, string> { ["round"] = $"{round}" };
                test.Emulator.Store.Replace(job);
            }
        }

        await Wait.UntilAsync(() => reading.ResourceVersions().SequenceEqual(test.EmulatorState("team-a")), "the reading subscriber caught up");

        var state = stalled.Snapshot.Jobs.ToDictionary(j => j.Key, j => j.ResourceVersion);
        var rounds = new Dictionary<string, string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var changesRead = 0;
        await foreach (var batch in stalled.Changes.WithCancellation(timeout.Token))
        {
            foreach (var change in batch.Changes)
            {
                changesRead++;
                state[change.Job!.Key] = change.Job.ResourceVersion;
                rounds[change.Job.Key] = change.Job.Labels.GetValueOrDefault("round") ?? "";
            }

            if (state.OrderBy(p => p.Key).SequenceEqual(test.EmulatorState("team-a").OrderBy(p => p.Key)))
            {
                break;
            }
        }

        // Every job once, at its last state: nothing queued per update.
        Assert.Equal(10, changesRead);
        Assert.All(rounds.Values, round => Assert.Equal("199", round));
    }
}
