using System.Runtime.CompilerServices;
using System.Security.Claims;
using Dashboard.Kubernetes.Query;
using Dashboard.Model.Selectors;
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
        var user = Context.User ?? new ClaimsPrincipal();
        if (!await access.CanReadAsync(user, scope, cancellationToken))
        {
            throw new HubException(scope is null ? "Not allowed to read jobs of all namespaces." : $"Not allowed to read jobs in namespace \"{scope}\".");
        }

        JobSubscription subscription;
        try
        {
            subscription = await jobs.SubscribeAsync(scope, labelSelector, cancellationToken);
        }
        catch (SelectorParseException e)
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
