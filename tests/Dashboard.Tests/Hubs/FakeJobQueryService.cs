using System.Collections.Concurrent;
using System.Threading.Channels;
using Dashboard.Kubernetes.Query;
using Dashboard.Model.Selectors;

namespace Dashboard.Tests.Hubs;

/// <summary>
/// A hand-written query service for testing the hub alone: every subscription gets the configured snapshot and a
/// channel the test writes batches to; the test can see which subscriptions are still held.
/// </summary>
internal sealed class FakeJobQueryService : IJobQueryService
{
    /// <summary>Subscriptions made by the app itself (its readiness tracker keeps this one warm), not by the hub.</summary>
    public const string AppNamespace = "fake-readiness";

    public const string MalformedSelector = "app in (a";
    public const string ParseMessage = "unable to parse requirement: found '', expected: ')'";

    private readonly ConcurrentDictionary<int, FakeSubscription> _open = new();
    private int _nextId;
    private int _hubCalls;

    public static readonly SyncStatus Live = new(SyncPhase.Live, ItemsLoaded: 2, LastSyncedAt: new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    public ConnectionInfo Connection { get; } = new(ConnectionMode.Emulator, "http://127.0.0.1:1/", null, IsEmulator: true);

    public IReadOnlyList<JobSummary> Jobs { get; set; } = [];

    /// <summary>The subscriptions the hub holds.</summary>
    public IReadOnlyCollection<FakeSubscription> Open => _open.Values.Where(s => s.Namespace != AppNamespace).ToArray();

    /// <summary>Calls that reached the fake from the hub (the app's own readiness subscription not counted).</summary>
    public int SubscribeCalls => _hubCalls;

    public Task<JobSubscription> SubscribeAsync(string? @namespace, string? labelSelector, CancellationToken cancellationToken)
    {
        if (@namespace != AppNamespace)
        {
            Interlocked.Increment(ref _hubCalls);
        }

        if (labelSelector == MalformedSelector)
        {
            throw new SelectorParseException(ParseMessage);
        }

        var id = Interlocked.Increment(ref _nextId);
        var subscription = new FakeSubscription(id, @namespace, labelSelector);
        _open[id] = subscription;
        var snapshot = new JobSnapshot(@namespace, labelSelector, "100", Live, Jobs);
        return Task.FromResult(new JobSubscription(snapshot, subscription.Batches.Reader.ReadAllAsync(), () =>
        {
            _open.TryRemove(id, out _);
            subscription.Batches.Writer.TryComplete();
            return ValueTask.CompletedTask;
        }));
    }

    public Task<JobDetailSubscription> SubscribeJobAsync(string @namespace, string name, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The hub does not stream single jobs.");

    public Task<NamespaceListing> GetNamespacesAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new NamespaceListing(["team-a"], FromApi: false, Note: null));

    public static JobSummary Job(string @namespace, string name, JobState state = JobState.Running, string resourceVersion = "1") => new(
        @namespace,
        name,
        Uid: $"uid-{name}",
        resourceVersion,
        CreatedAt: new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.FromHours(2)),
        Labels: new Dictionary<string, string> { ["app"] = name, ["team"] = @namespace },
        state,
        StateReason: "PyTorchJobRunning",
        StateMessage: $"PyTorchJob {name} is running.",
        StartTime: new DateTimeOffset(2026, 1, 1, 12, 0, 5, TimeSpan.Zero),
        CompletionTime: null,
        Master: new ReplicaSummary(1, 1, 0, 0),
        Worker: new ReplicaSummary(2, 1, 0, 1),
        Image: "docker.io/kubeflowkatib/pytorch-mnist:v1beta1-45c5727",
        Elastic: false);

    internal sealed class FakeSubscription(int id, string? @namespace, string? labelSelector)
    {
        public int Id { get; } = id;

        public string? Namespace { get; } = @namespace;

        public string? LabelSelector { get; } = labelSelector;

        // Unbounded so TryWrite always succeeds.
        public Channel<JobChangeBatch> Batches { get; } = Channel.CreateUnbounded<JobChangeBatch>();
    }
}
