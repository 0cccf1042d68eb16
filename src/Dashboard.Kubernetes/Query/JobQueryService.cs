using Dashboard.Kubernetes.Cache;
using Dashboard.Kubernetes.Configuration;
using Dashboard.Kubernetes.Connection;
using Dashboard.Kubernetes.Diagnostics;
using Dashboard.Kubernetes.Sync;
using Dashboard.Model.Selectors;
using k8s;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dashboard.Kubernetes.Query;

/// <summary>The query service: subscriptions on the shared per-namespace caches, and the namespace listing.</summary>
public sealed class JobQueryService : IJobQueryService, IAsyncDisposable
{
    private readonly IKubernetesConnection _connection;
    private readonly KubernetesOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<JobQueryService> _logger;
    private readonly SemaphoreSlim _namespaceGate = new(1, 1);
    private (NamespaceListing Listing, DateTimeOffset Until)? _namespaces;

    // A listing that failed for a passing reason (429, 5xx, timeout) is retried soon, not after the full reuse time.
    private static readonly TimeSpan FailedListingReuse = TimeSpan.FromSeconds(5);

    public JobQueryService(IKubernetesConnection connection, IOptions<KubernetesOptions> options, TimeProvider time, ILoggerFactory loggerFactory, KubernetesMetrics? metrics = null)
    {
        Metrics = metrics;
        _connection = connection;
        _options = options.Value;
        _time = time;
        _logger = loggerFactory.CreateLogger<JobQueryService>();
        Caches = new JobCacheRegistry(connection, _options, time, new StringPool(), loggerFactory, metrics);
        metrics?.Observe(() => Caches.Caches);
    }

    /// <summary>The instruments this service records to (null: none).</summary>
    public KubernetesMetrics? Metrics { get; }

    public ConnectionInfo Connection => _connection.Info;

    public JobCacheRegistry Caches { get; }

    public KubernetesOptions Options => _options;

    public Task<JobSubscription> SubscribeAsync(string? @namespace, string? labelSelector, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var selector = LabelSelector.Parse(labelSelector);
        var key = @namespace?.Trim() ?? "";
        InvalidNamespaceException.ThrowIfInvalid(key);
        var cache = Caches.Acquire(key);
        var (snapshot, subscriber) = cache.Subscribe(selector);
        var subscription = new JobSubscription(
            snapshot,
            cache.ReadBatches(subscriber, snapshot),
            () =>
            {
                cache.Unsubscribe(subscriber);
                Caches.Release(cache);
                return ValueTask.CompletedTask;
            });
        return Task.FromResult(subscription);
    }

    public Task<JobDetailSubscription> SubscribeJobAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ArgumentException.ThrowIfNullOrWhiteSpace(@namespace);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        InvalidNamespaceException.ThrowIfInvalid(@namespace);
        // The all-namespaces cache holds the job too: when it runs, it serves the detail without another watch.
        var cache = Caches.TryAcquireRunning(@namespace) ?? AllNamespacesCacheThatKnows() ?? Caches.Acquire(@namespace);
        var (current, sync, subscriber) = cache.SubscribeDetail(@namespace, name);
        var subscription = new JobDetailSubscription(
            current,
            sync,
            cache.ReadUpdates(subscriber),
            () =>
            {
                cache.UnsubscribeDetail(subscriber);
                Caches.Release(cache);
                return ValueTask.CompletedTask;
            });
        return Task.FromResult(subscription);
    }

    /// <summary>
    /// The running all-namespaces cache, if it has listed and is not refused: with namespace-scoped RBAC it may sit
    /// in 403 while the namespace itself is readable, and before its first list it would make a detail wait for the
    /// whole cluster.
    /// </summary>
    private JobCache? AllNamespacesCacheThatKnows()
    {
        if (Caches.TryAcquireRunning("") is not { } all)
        {
            return null;
        }

        if (all.Sync is { LastSyncedAt: not null, Phase: not SyncPhase.Error })
        {
            return all;
        }

        Caches.Release(all);
        return null;
    }

    public async Task<NamespaceListing> GetNamespacesAsync(CancellationToken cancellationToken)
    {
        await _namespaceGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_namespaces is { } cached && _time.GetUtcNow() < cached.Until)
            {
                return cached.Listing;
            }

            var (listing, reuseFor) = await ListNamespacesAsync(cancellationToken).ConfigureAwait(false);
            _namespaces = (listing, _time.GetUtcNow() + reuseFor);
            return listing;
        }
        finally
        {
            _namespaceGate.Release();
        }
    }

    private async Task<(NamespaceListing Listing, TimeSpan ReuseFor)> ListNamespacesAsync(CancellationToken cancellationToken)
    {
        try
        {
            var client = await _connection.GetClientAsync(cancellationToken).ConfigureAwait(false);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(_options.RequestTimeoutSeconds));
            var list = await client.CoreV1.ListNamespaceAsync(cancellationToken: timeout.Token).ConfigureAwait(false);
            var names = list.Items.Select(n => n.Metadata?.Name).OfType<string>().Order(StringComparer.Ordinal).ToArray();
            return (new NamespaceListing(names, true, null), _options.NamespaceListCacheDuration);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            var error = ApiErrorClassifier.Classify(exception);
            _logger.LogInformation("Namespaces cannot be listed ({Kind} {Code}: {Message}); using Kubernetes:Namespaces", error.Kind, error.Code, error.Message);
            var fallback = _options.Namespaces.Count > 0 ? "showing the configured Kubernetes:Namespaces" : "type a namespace";
            if (error.Kind == ApiErrorKind.Forbidden)
            {
                return (new NamespaceListing([.. _options.Namespaces], false, $"This identity may not list namespaces; {fallback}."), _options.NamespaceListCacheDuration);
            }

            var code = error.Code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? error.Kind.ToString();
            var note = $"Namespaces could not be listed ({code}: {error.Message}); {fallback}.";
            var reuseFor = _options.NamespaceListCacheDuration < FailedListingReuse ? _options.NamespaceListCacheDuration : FailedListingReuse;
            return (new NamespaceListing([.. _options.Namespaces], false, note), reuseFor);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Caches.DisposeAsync().ConfigureAwait(false);
        _namespaceGate.Dispose();
    }
}
