using System.Runtime.CompilerServices;
using Dashboard.Kubernetes.Query;
using Dashboard.Model.Selectors;
using Dashboard.Security;
using Microsoft.AspNetCore.SignalR;

namespace Dashboard.Hubs;

/// <summary>
/// The shared job cache's live feed for programs other than the dashboard's pages (status boards, notebooks,
/// CLIs, bots). Every stream is a subscription to the same per-namespace cache the pages use, so any number of
/// clients on one namespace cost one list and one watch against the Kubernetes API.
/// </summary>
public sealed class JobsHub(IJobQueryService jobs, INamespaceAccess access) : Hub
{
    /// <summary>
    /// Streams the jobs of <paramref name="namespace"/> (null or empty: all namespaces) that match
    /// <paramref name="labelSelector"/> (Kubernetes label-selector syntax; null or empty: all): first a
    /// <c>"snapshot"</c> message, then a <c>"changes"</c> message per change batch, until the client cancels the
    /// stream or disconnects, which releases the subscription.
    /// </summary>
    /// <exception cref="HubException">The selector is malformed (the message is the parser's), or access is denied.</exception>
    public async IAsyncEnumerable<JobStreamMessage> StreamJobs(
        string? @namespace,
        string? labelSelector,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var scope = string.IsNullOrWhiteSpace(@namespace) ? null : @namespace.Trim();
        var queries = AuthorizedJobQueries.For(jobs, access, Context.User);

        JobSubscription subscription;
        try
        {
            subscription = await queries.SubscribeAsync(scope, labelSelector, cancellationToken);
        }
        catch (Exception e) when (e is SelectorParseException || QueryRefusal.From(e) is not null)
        {
            // HubException is the one exception whose message SignalR passes to the client.
            throw new HubException(e.Message);
        }

        await using (subscription)
        {
            var snapshot = subscription.Snapshot;
            yield return JobStreamMapper.ToSnapshotMessage(snapshot);

            await foreach (var batch in subscription.Changes.WithCancellation(cancellationToken))
            {
                yield return JobStreamMapper.ToChangesMessage(snapshot, batch);
            }
        }
    }
}
