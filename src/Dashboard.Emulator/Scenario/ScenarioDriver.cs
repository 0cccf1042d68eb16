using Dashboard.Model.PyTorchJobs;

namespace Dashboard.Emulator.Scenario;

/// <summary>Makes the emulator look like a live training cluster: seeds jobs in varied lifecycle stages, then moves them
/// through the training-operator's lifecycle, brings in new jobs and deletes finished ones after their TTL.
/// Everything random comes from one <see cref="Random"/> seeded with <see cref="ScenarioSettings.Seed"/> and every
/// timestamp and pause from the <see cref="TimeProvider"/>, so the same seed and clock tell the same story.</summary>
/// <remarks>The driver only touches jobs it created itself; jobs made through the API (and the example job) are left alone.</remarks>
public sealed class ScenarioDriver
{
    private static readonly TimeSpan MinimumTick = TimeSpan.FromMilliseconds(10);
    private static readonly string[] Teams = ["nlp", "vision", "llm", "speech", "recsys", "platform"];

    private enum Transition { Created, Running, Restarting, Succeeded, Failed, Suspend, Resume }

    private readonly IScenarioStore _store;
    private readonly ScenarioSettings _settings;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly JobFactory _factory;
    private readonly Lock _gate = new();
    private readonly HashSet<(string Namespace, string Name)> _owned = [];
    private readonly Dictionary<string, int> _targetByNamespace = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _teamByNamespace = new(StringComparer.Ordinal);
    private readonly TimeSpan _retentionWithoutTtl;
    private bool _seeded;
    private volatile bool _paused;

    public ScenarioDriver(IScenarioStore store, ScenarioSettings settings, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfNegative(settings.Jobs);
        if (!double.IsFinite(settings.EventsPerSecond) || settings.EventsPerSecond < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), settings.EventsPerSecond, "EventsPerSecond must be a finite number >= 0.");
        }

        if (settings.Jobs > 0 && settings.Namespaces.Count == 0)
        {
            throw new ArgumentException("Scenario jobs need at least one namespace.", nameof(settings));
        }

        _store = store;
        _settings = settings with { Namespaces = settings.Namespaces.Distinct(StringComparer.Ordinal).ToArray() };
        _time = time;
        _random = new Random(settings.Seed);

        // A job's life takes about six changes (arrive, created, run, restart or not, finish, delete), so about
        // EventsPerSecond/6 jobs finish a second; TTLs around 1.5*Jobs/EventsPerSecond seconds keep about a third of
        // the jobs finished and the population near its initial size.
        var ttlBase = settings.EventsPerSecond > 0 ? 1.5 * Math.Max(settings.Jobs, 1) / settings.EventsPerSecond : 600;
        var ttlBaseSeconds = (int)Math.Clamp(Math.Round(ttlBase / 10) * 10, 20, 1800);
        _retentionWithoutTtl = TimeSpan.FromSeconds(ttlBaseSeconds * 2);
        _factory = new JobFactory(_random, ttlBaseSeconds);

        var namespaces = _settings.Namespaces;
        for (var i = 0; i < namespaces.Count; i++)
        {
            _targetByNamespace[namespaces[i]] = settings.Jobs / namespaces.Count + (i < settings.Jobs % namespaces.Count ? 1 : 0);
            _teamByNamespace[namespaces[i]] = Teams[i % Teams.Length];
        }
    }

    public bool IsPaused => _paused;

    /// <summary>How long a finished job without <c>ttlSecondsAfterFinished</c> stays before "its owner" deletes it,
    /// so the namespaces keep their size.</summary>
    public TimeSpan RetentionWithoutTtl => _retentionWithoutTtl;

    /// <summary>Stops <see cref="RunAsync"/> from making changes until <see cref="Resume"/>; <see cref="Step"/> still works.</summary>
    public void Pause() => _paused = true;

    public void Resume() => _paused = false;

    /// <summary>Creates the example job (if asked for) and the scenario's jobs, spread over the namespaces and in varied
    /// lifecycle stages with back-dated histories. Only the first call does anything.</summary>
    public void SeedInitialJobs()
    {
        lock (_gate)
        {
            if (_seeded)
            {
                return;
            }

            _seeded = true;
            if (_settings.IncludeExampleJob)
            {
                _store.EnsureNamespace(ExampleJob.Namespace);
                if (!_store.ListJobs(ExampleJob.Namespace).Any(j => j.Metadata.Name == ExampleJob.Name))
                {
                    _store.Create(ExampleJob.Create());
                }
            }

            var now = Now();
            var namesByNamespace = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            foreach (var ns in _settings.Namespaces)
            {
                _store.EnsureNamespace(ns);
                namesByNamespace[ns] = _store.ListJobs(ns).Select(j => j.Metadata.Name).ToHashSet(StringComparer.Ordinal);
            }

            for (var i = 0; i < _settings.Jobs; i++)
            {
                var ns = _settings.Namespaces[i % _settings.Namespaces.Count];
                var names = namesByNamespace[ns];
                var job = _factory.Create(ns, TeamFor(ns), names.Contains);
                SeedHistory(job, now);
                var stored = _store.Create(job);
                names.Add(stored.Metadata.Name);
                _owned.Add((ns, stored.Metadata.Name));
            }
        }
    }

    /// <summary>Applies about <see cref="ScenarioSettings.EventsPerSecond"/> changes a second, paced by the
    /// <see cref="TimeProvider"/>, until cancelled (then it returns normally). 0 events per second returns at once.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var eventsPerSecond = _settings.EventsPerSecond;
        if (eventsPerSecond <= 0)
        {
            return;
        }

        var tick = TimeSpan.FromSeconds(1 / eventsPerSecond);
        if (tick < MinimumTick)
        {
            tick = MinimumTick;
        }

        using var timer = new PeriodicTimer(tick, _time);
        var owed = 0.0;
        var last = _time.GetTimestamp();
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var current = _time.GetTimestamp();
                var elapsed = _time.GetElapsedTime(last, current);
                last = current;
                if (_paused)
                {
                    owed = 0;
                    continue;
                }

                // Late or coalesced ticks catch up, but never with more than a second's worth of changes at once.
                owed = Math.Min(owed + elapsed.TotalSeconds * eventsPerSecond, Math.Max(1, eventsPerSecond));
                var due = (int)Math.Floor(owed + 1e-6); // 1e-6: tick lengths are rounded to 100 ns
                for (var i = 0; i < due && !cancellationToken.IsCancellationRequested && !_paused; i++)
                {
                    Step();
                }

                owed = Math.Max(0, owed - due);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Cancellation is how the scenario ends.
        }
    }

    /// <summary>Applies one scenario change now (even while paused) and returns the number of changes made: 0 when
    /// there is nothing to do (no jobs, or every job finished and waiting for its TTL).</summary>
    public int Step()
    {
        lock (_gate)
        {
            var now = Now();
            var jobs = OwnedJobs(out var namesByNamespace);

            // 1. The operator answers a new job at once: Created (and Suspended if it was created suspended).
            var fresh = jobs.FirstOrDefault(j => JobLifecycle.PhaseOf(j) == JobPhase.New);
            if (fresh is not null)
            {
                Apply(fresh, Transition.Created, now);
                return Write(fresh);
            }

            // 2. Finished jobs go once their TTL has run out.
            var expired = jobs
                .Where(j => JobLifecycle.IsFinished(JobLifecycle.PhaseOf(j)) && ExpiresAt(j) <= now)
                .OrderBy(ExpiresAt)
                .FirstOrDefault();
            if (expired is not null)
            {
                return Remove(expired);
            }

            // 3. New jobs arrive where a namespace has fallen below its size, or has too little going on (then up to
            //    half again its size, while finished jobs wait for their TTL).
            var live = jobs.Where(j => JobLifecycle.PhaseOf(j) is not (JobPhase.Succeeded or JobPhase.Failed)).ToList();
            var arrivalNamespace = _settings.Namespaces
                .Select(ns => (
                    Namespace: ns,
                    Target: _targetByNamespace[ns],
                    Total: jobs.Count(j => j.Metadata.NamespaceProperty == ns),
                    Live: live.Count(j => j.Metadata.NamespaceProperty == ns)))
                .Where(n => n.Total < n.Target || (n.Live * 3 < n.Target && n.Total * 2 < n.Target * 3))
                .OrderByDescending(n => n.Target - n.Live)
                .Select(n => n.Namespace)
                .FirstOrDefault();
            if (arrivalNamespace is not null && (live.Count == 0 || _random.NextDouble() < 0.5))
            {
                return Arrive(arrivalNamespace, namesByNamespace[arrivalNamespace], now);
            }

            // 4. A running (or waiting) job moves on.
            if (live.Count > 0)
            {
                var job = live[_random.Next(live.Count)];
                Apply(job, NextTransition(job, now), now);
                return Write(job);
            }

            // 5. Everything has finished and waits for its TTL.
            return 0;
        }
    }

    private int Arrive(string ns, HashSet<string> takenNames, DateTime now)
    {
        // Someone may have deleted the namespace through the API; the scenario's users bring it back.
        _store.EnsureNamespace(ns);
        var job = _factory.Create(ns, TeamFor(ns), takenNames.Contains);
        job.Metadata.CreationTimestamp = now;
        var stored = _store.Create(job);
        _owned.Add((ns, stored.Metadata.Name));
        return 1;
    }

    private int Write(PyTorchJob job)
    {
        if (_store.Replace(job) is not null)
        {
            return 1;
        }

        _owned.Remove((job.Metadata.NamespaceProperty, job.Metadata.Name));
        return 0;
    }

    private int Remove(PyTorchJob job)
    {
        var key = (job.Metadata.NamespaceProperty, job.Metadata.Name);
        _owned.Remove(key);
        return _store.Delete(key.NamespaceProperty, key.Name) ? 1 : 0;
    }

    private Transition NextTransition(PyTorchJob job, DateTime now)
    {
        var phase = JobLifecycle.PhaseOf(job);
        var roll = _random.NextDouble();
        switch (phase)
        {
            case JobPhase.Pending:
                return roll < 0.9 ? Transition.Running : Transition.Suspend;
            case JobPhase.Suspended:
                return Transition.Resume;
            case JobPhase.Restarting:
                return PastDeadline(job, now) || roll >= 0.8 ? Transition.Failed : Transition.Running;
            default:
                if (PastDeadline(job, now)) return Transition.Failed;
                return roll switch
                {
                    < 0.55 => Transition.Succeeded,
                    < 0.80 => Transition.Restarting,
                    < 0.90 => Transition.Failed,
                    _ => Transition.Suspend,
                };
        }
    }

    private void Apply(PyTorchJob job, Transition transition, DateTime at)
    {
        switch (transition)
        {
            case Transition.Created:
                JobLifecycle.MarkCreated(job, at);
                break;
            case Transition.Running:
                JobLifecycle.MarkRunning(job, at);
                break;
            case Transition.Restarting:
                JobLifecycle.MarkRestarting(job, _random.Next(1, Math.Min(3, Math.Max(1, JobLifecycle.WorkerReplicas(job))) + 1), at);
                break;
            case Transition.Succeeded:
                JobLifecycle.MarkSucceeded(job, at);
                break;
            case Transition.Failed:
                ApplyFailure(job, at);
                break;
            case Transition.Suspend:
                JobLifecycle.Suspend(job, at);
                break;
            case Transition.Resume:
                JobLifecycle.Resume(job, at);
                break;
        }
    }

    private void ApplyFailure(PyTorchJob job, DateTime at)
    {
        var phase = JobLifecycle.PhaseOf(job);
        var workerFailures = JobLifecycle.Find(job.Status, JobConditionTypes.Restarting) is not null
            ? job.Status?.ReplicaStatuses?.TryGetValue(ReplicaTypes.Worker, out var worker) == true ? worker.Failed ?? 1 : 1
            : 1;
        var workerRestartPolicy = job.Spec?.PytorchReplicaSpecs?.TryGetValue(ReplicaTypes.Worker, out var workerSpec) == true ? workerSpec.RestartPolicy : null;
        var kind =
            PastDeadline(job, at) ? FailureKind.Deadline
            : phase == JobPhase.Restarting && job.Spec?.RunPolicy?.BackoffLimit is not null ? FailureKind.BackoffLimit
            : workerRestartPolicy == RestartPolicies.ExitCode && _random.NextDouble() < 0.4 ? FailureKind.WorkerFailed
            : FailureKind.MasterFailed;
        JobLifecycle.MarkFailed(job, kind, kind == FailureKind.MasterFailed ? 1 : workerFailures, at);
    }

    private static bool PastDeadline(PyTorchJob job, DateTime now) =>
        job.Spec?.RunPolicy?.ActiveDeadlineSeconds is { } deadline && job.Status?.StartTime is { } start
        && now - start >= TimeSpan.FromSeconds(deadline);

    private DateTime ExpiresAt(PyTorchJob job)
    {
        var finished = job.Status?.CompletionTime ?? DateTime.MinValue;
        return finished + Retention(job);
    }

    private TimeSpan Retention(PyTorchJob job) =>
        job.Spec?.RunPolicy?.TtlSecondsAfterFinished is { } ttl ? TimeSpan.FromSeconds(ttl) : _retentionWithoutTtl;

    /// <summary>Gives a seeded job a plausible past: a lifecycle path whose steps happened before now, finished jobs
    /// recently enough that their TTL has not run out yet.</summary>
    private void SeedHistory(PyTorchJob job, DateTime now)
    {
        var roll = _random.NextDouble();
        Transition[] path = roll switch
        {
            < 0.10 => [Transition.Created],
            < 0.38 => [Transition.Created, Transition.Running],
            < 0.44 => [Transition.Created, Transition.Running, Transition.Restarting],
            < 0.50 => [Transition.Created, Transition.Running, Transition.Restarting, Transition.Running],
            < 0.55 => [Transition.Created], // created suspended: waiting in a queue
            < 0.58 => [Transition.Created, Transition.Running, Transition.Suspend],
            < 0.61 => [Transition.Created, Transition.Running, Transition.Suspend, Transition.Resume, Transition.Running],
            < 0.79 => [Transition.Created, Transition.Running, Transition.Succeeded],
            < 0.86 => [Transition.Created, Transition.Running, Transition.Restarting, Transition.Running, Transition.Succeeded],
            < 0.94 => [Transition.Created, Transition.Running, Transition.Failed],
            _ => [Transition.Created, Transition.Running, Transition.Restarting, Transition.Failed],
        };
        if (roll is >= 0.50 and < 0.55)
        {
            var runPolicy = (job.Spec ??= new PyTorchJobSpec()).RunPolicy ??= new RunPolicy();
            runPolicy.Suspend = true;
        }

        var finishes = path[^1] is Transition.Succeeded or Transition.Failed;
        var window = finishes ? Retention(job).TotalSeconds * 0.6 : TimeSpan.FromMinutes(15).TotalSeconds;
        var times = new DateTime[path.Length];
        times[^1] = now - Seconds(_random.NextDouble() * window);
        for (var i = path.Length - 2; i >= 0; i--)
        {
            times[i] = times[i + 1] - Seconds(i == 0 ? 5 + _random.Next(180) : 30 + _random.Next(45 * 60));
        }

        job.Metadata.CreationTimestamp = times[0] - Seconds(1 + _random.Next(3));
        for (var i = 0; i < path.Length; i++)
        {
            Apply(job, path[i], times[i]);
        }
    }

    private static TimeSpan Seconds(double value) => TimeSpan.FromSeconds(Math.Floor(value));

    private string TeamFor(string ns) =>
        // Mostly the namespace's own team; shared namespaces see a few guests.
        _random.NextDouble() < 0.85 ? _teamByNamespace[ns] : Teams[_random.Next(Teams.Length)];

    /// <summary>The scenario's own jobs in a stable order (namespaces as configured, names ordinal), and every job name
    /// taken per namespace; forgets jobs deleted through the API.</summary>
    private List<PyTorchJob> OwnedJobs(out Dictionary<string, HashSet<string>> namesByNamespace)
    {
        var result = new List<PyTorchJob>();
        var seen = new HashSet<(string, string)>();
        namesByNamespace = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var ns in _settings.Namespaces)
        {
            var jobsOfNamespace = _store.ListJobs(ns);
            namesByNamespace[ns] = jobsOfNamespace.Select(j => j.Metadata.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var job in jobsOfNamespace.OrderBy(j => j.Metadata.Name, StringComparer.Ordinal))
            {
                var key = (ns, job.Metadata.Name);
                if (_owned.Contains(key))
                {
                    result.Add(job);
                    seen.Add(key);
                }
            }
        }

        _owned.IntersectWith(seen);
        return result;
    }

    /// <summary>Kubernetes timestamps have whole seconds.</summary>
    private DateTime Now()
    {
        var utc = _time.GetUtcNow().UtcDateTime;
        return new DateTime(utc.Ticks - utc.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
    }
}
