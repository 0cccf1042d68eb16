using System.Threading.Channels;
using Dashboard.Kubernetes.Query;
using Dashboard.Model.Selectors;

namespace Dashboard.Tests.Components;

/// <summary>
/// A hand-written <see cref="IJobQueryService"/>: snapshots come from <see cref="Jobs"/> (filtered by namespace and
/// the real label selector parser), changes are pushed by the test through channels.
/// </summary>
public sealed class FakeJobQueryService : IJobQueryService
{
    private readonly Lock _lock = new();
    private readonly List<FakeSubscription> _subscriptions = [];
    private readonly List<FakeDetailSubscription> _detailSubscriptions = [];

    public List<JobSummary> Jobs { get; } = [];

    public Dictionary<string, JobDetail> Details { get; } = [];

    public SyncStatus Sync { get; set; } = new(SyncPhase.Live, LastSyncedAt: TestJobs.Now);

    public NamespaceListing Namespaces { get; set; } = new(["kube-test", "team-a", "team-b"], true, null);

    public ConnectionInfo Connection { get; set; } = new(ConnectionMode.Emulator, "http://127.0.0.1:8001", null, true);

    public IReadOnlyList<FakeSubscription> Subscriptions
    {
        get
        {
            lock (_lock)
            {
                return [.. _subscriptions];
            }
        }
    }

    public IReadOnlyList<FakeSubscription> ActiveSubscriptions => [.. Subscriptions.Where(s => !s.Released)];

    public IReadOnlyList<FakeDetailSubscription> DetailSubscriptions
    {
        get
        {
            lock (_lock)
            {
                return [.. _detailSubscriptions];
            }
        }
    }

    /// <summary>When set, subscribing throws it (as the real service refuses past Kubernetes:MaxCaches).</summary>
    public Exception? RefuseSubscriptions { get; set; }

    /// <summary>When set, a subscription to a namespace first awaits what this returns (a slow access review, say).</summary>
    public Func<string?, Task>? SubscribeGate { get; set; }

    public Task<JobSubscription> SubscribeAsync(string? @namespace, string? labelSelector, CancellationToken cancellationToken) =>
        SubscribeGate?.Invoke(@namespace) is { IsCompleted: false } gate
            ? SubscribeAfterAsync(gate, @namespace, labelSelector, cancellationToken)
            : SubscribeNow(@namespace, labelSelector);

    private async Task<JobSubscription> SubscribeAfterAsync(Task gate, string? @namespace, string? labelSelector, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        return await SubscribeNow(@namespace, labelSelector);
    }

    private Task<JobSubscription> SubscribeNow(string? @namespace, string? labelSelector)
    {
        var selector = LabelSelector.Parse(labelSelector);
        InvalidNamespaceException.ThrowIfInvalid(@namespace); // as the real service: before anything subscribes
        if (RefuseSubscriptions is { } refusal)
        {
            throw refusal;
        }

        var jobs = Jobs.Where(j => (string.IsNullOrEmpty(@namespace) || j.Namespace == @namespace) && selector.Matches(j.Labels)).ToList();
        var fake = new FakeSubscription(@namespace, labelSelector);
        lock (_lock)
        {
            _subscriptions.Add(fake);
        }

        var snapshot = new JobSnapshot(@namespace, labelSelector, "1", Sync, jobs);
        return Task.FromResult(new JobSubscription(snapshot, fake.Channel.Reader.ReadAllAsync(), fake.ReleaseAsync));
    }

    public Task<JobDetailSubscription> SubscribeJobAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        var fake = new FakeDetailSubscription(@namespace, name);
        lock (_lock)
        {
            _detailSubscriptions.Add(fake);
        }

        Details.TryGetValue(@namespace + "/" + name, out var current);
        return Task.FromResult(new JobDetailSubscription(current, Sync, fake.Channel.Reader.ReadAllAsync(), fake.ReleaseAsync));
    }

    public Task<NamespaceListing> GetNamespacesAsync(CancellationToken cancellationToken) => Task.FromResult(Namespaces);

    /// <summary>Sends a batch to every live list subscription.</summary>
    public void Publish(SyncStatus sync, params JobChange[] changes)
    {
        foreach (var subscription in ActiveSubscriptions)
        {
            subscription.Channel.Writer.TryWrite(new JobChangeBatch(changes, "2", sync));
        }
    }

    public void Publish(params JobChange[] changes) => Publish(Sync, changes);

    public void PublishDetail(JobDetailUpdate update)
    {
        foreach (var subscription in DetailSubscriptions.Where(s => !s.Released))
        {
            subscription.Channel.Writer.TryWrite(update);
        }
    }

    public sealed class FakeSubscription(string? @namespace, string? labelSelector)
    {
        public string? Namespace { get; } = @namespace;

        public string? LabelSelector { get; } = labelSelector;

        public Channel<JobChangeBatch> Channel { get; } = System.Threading.Channels.Channel.CreateUnbounded<JobChangeBatch>();

        public bool Released { get; private set; }

        public ValueTask ReleaseAsync()
        {
            Released = true;
            Channel.Writer.TryComplete();
            return ValueTask.CompletedTask;
        }
    }

    public sealed class FakeDetailSubscription(string @namespace, string name)
    {
        public string Key { get; } = @namespace + "/" + name;

        public Channel<JobDetailUpdate> Channel { get; } = System.Threading.Channels.Channel.CreateUnbounded<JobDetailUpdate>();

        public bool Released { get; private set; }

        public ValueTask ReleaseAsync()
        {
            Released = true;
            Channel.Writer.TryComplete();
            return ValueTask.CompletedTask;
        }
    }
}
