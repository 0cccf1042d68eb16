using System.Runtime.CompilerServices;
using System.Security.Claims;
using Dashboard.Kubernetes.Query;

namespace Dashboard.Security;

/// <summary>The user may not read this namespace: pages show a 403 page, the JSON API answers 403, the hub refuses.</summary>
public sealed class NamespaceForbiddenException(string? @namespace)
    : Exception(@namespace is null ? "Not allowed to read jobs of all namespaces." : $"Not allowed to read jobs in namespace \"{@namespace}\".")
{
    public string? Namespace { get; } = @namespace;
}

/// <summary>
/// The query service as one user sees it: a namespace they may not read is refused before anything subscribes,
/// and the all-namespaces view and the namespace list keep only namespaces they may read. The data still comes
/// from the shared cache; only what is handed out is filtered.
/// </summary>
public sealed class AuthorizedJobQueries : IJobQueryService
{
    private readonly IJobQueryService _inner;
    private readonly INamespaceAccess _access;
    private readonly ClaimsPrincipal _user;

    private AuthorizedJobQueries(IJobQueryService inner, INamespaceAccess access, ClaimsPrincipal user)
    {
        _inner = inner;
        _access = access;
        _user = user;
    }

    /// <summary>The queries <paramref name="user"/> may make (the service itself when access is not controlled).</summary>
    public static IJobQueryService For(IJobQueryService queries, INamespaceAccess access, ClaimsPrincipal? user) =>
        access is AllowAllNamespaceAccess ? queries : new AuthorizedJobQueries(queries, access, user ?? new ClaimsPrincipal());

    public Kubernetes.Query.ConnectionInfo Connection => _inner.Connection;

    public async Task<JobSubscription> SubscribeAsync(string? @namespace, string? labelSelector, CancellationToken cancellationToken)
    {
        var scope = string.IsNullOrWhiteSpace(@namespace) ? null : @namespace.Trim();
        if (!await _access.CanReadAsync(_user, scope, cancellationToken))
        {
            throw new NamespaceForbiddenException(scope);
        }

        var subscription = await _inner.SubscribeAsync(scope, labelSelector, cancellationToken);
        if (scope is not null)
        {
            return subscription;
        }

        // All namespaces: keep the jobs of namespaces this user may read, answer by answer (cached by the access service).
        try
        {
            var snapshot = subscription.Snapshot;
            var jobs = new List<JobSummary>(snapshot.Jobs.Count);
            foreach (var job in snapshot.Jobs)
            {
                if (await _access.CanReadAsync(_user, job.Namespace, cancellationToken))
                {
                    jobs.Add(job);
                }
            }

            return new JobSubscription(snapshot with { Jobs = jobs }, FilterAsync(subscription.Changes), subscription.DisposeAsync);
        }
        catch
        {
            await subscription.DisposeAsync();
            throw;
        }
    }

    public async Task<JobDetailSubscription> SubscribeJobAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        if (!await _access.CanReadAsync(_user, @namespace, cancellationToken))
        {
            throw new NamespaceForbiddenException(@namespace);
        }

        return await _inner.SubscribeJobAsync(@namespace, name, cancellationToken);
    }

    public async Task<NamespaceListing> GetNamespacesAsync(CancellationToken cancellationToken)
    {
        var listing = await _inner.GetNamespacesAsync(cancellationToken);
        var checks = listing.Namespaces.Select(async ns => (ns, allowed: await _access.CanReadAsync(_user, ns, cancellationToken)));
        var answers = await Task.WhenAll(checks);
        return listing with { Namespaces = [.. answers.Where(a => a.allowed).Select(a => a.ns)] };
    }

    private async IAsyncEnumerable<JobChangeBatch> FilterAsync(
        IAsyncEnumerable<JobChangeBatch> batches, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var batch in batches.WithCancellation(cancellationToken))
        {
            var kept = new List<JobChange>(batch.Changes.Count);
            foreach (var change in batch.Changes)
            {
                if (await _access.CanReadAsync(_user, change.Namespace, cancellationToken))
                {
                    kept.Add(change);
                }
            }

            yield return kept.Count == batch.Changes.Count ? batch : batch with { Changes = kept };
        }
    }
}
