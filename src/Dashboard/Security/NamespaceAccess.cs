using System.Collections.Concurrent;
using System.Security.Claims;
using Dashboard.Kubernetes.Connection;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Options;

namespace Dashboard.Security;

/// <summary>
/// The single check of who may read which namespace. The pages, the JSON API and the hub all go through it
/// (via <see cref="AuthorizedJobQueries"/>), so one answer holds everywhere.
/// </summary>
public interface INamespaceAccess
{
    /// <summary>
    /// Whether <paramref name="user"/> may read the jobs of <paramref name="namespace"/>. Null asks about the
    /// all-namespaces view, whose jobs are then filtered namespace by namespace.
    /// </summary>
    ValueTask<bool> CanReadAsync(ClaimsPrincipal user, string? @namespace, CancellationToken cancellationToken);
}

/// <summary>Auth:Mode None: everyone who reaches the dashboard may read every namespace it can see.</summary>
public sealed class AllowAllNamespaceAccess : INamespaceAccess
{
    public ValueTask<bool> CanReadAsync(ClaimsPrincipal user, string? @namespace, CancellationToken cancellationToken) =>
        ValueTask.FromResult(true);
}

/// <summary>Asks whether a user (with groups) may list pytorchjobs in a namespace.</summary>
public interface IAccessReviewer
{
    Task<bool> MayListJobsAsync(string user, IReadOnlyList<string> groups, string @namespace, CancellationToken cancellationToken);
}

/// <summary>A SubjectAccessReview with the dashboard's own identity about the user: RBAC decides, not the dashboard.</summary>
public sealed class SubjectAccessReviewer(IKubernetesConnection connection) : IAccessReviewer
{
    public async Task<bool> MayListJobsAsync(string user, IReadOnlyList<string> groups, string @namespace, CancellationToken cancellationToken)
    {
        var client = await connection.GetClientAsync(cancellationToken);
        var review = new V1SubjectAccessReview
        {
            ApiVersion = "authorization.k8s.io/v1",
            Kind = "SubjectAccessReview",
            Spec = new V1SubjectAccessReviewSpec
            {
                User = user,
                Groups = [.. groups],
                ResourceAttributes = new V1ResourceAttributes
                {
                    Verb = "list",
                    Group = "kubeflow.org",
                    Resource = "pytorchjobs",
                    NamespaceProperty = @namespace,
                },
            },
        };
        var answer = await client.AuthorizationV1.CreateSubjectAccessReviewAsync(review, cancellationToken: cancellationToken);
        return answer.Status is { Allowed: true, Denied: not true };
    }
}

/// <summary>
/// Signed-in users get what RBAC allows them, asked with a SubjectAccessReview and cached briefly; anonymous users
/// get nothing. A failed review denies and is not cached (fail closed, ask again next time).
/// </summary>
public sealed class ReviewedNamespaceAccess(IAccessReviewer reviewer, IOptions<AuthOptions> options, TimeProvider time, ILogger<ReviewedNamespaceAccess> logger)
    : INamespaceAccess
{
    private readonly ConcurrentDictionary<(string User, string Groups, string Namespace), (bool Allowed, DateTimeOffset Expires)> _answers = new();

    public async ValueTask<bool> CanReadAsync(ClaimsPrincipal user, string? @namespace, CancellationToken cancellationToken)
    {
        if (DashboardClaims.UserName(user) is not { } name)
        {
            return false;
        }

        if (@namespace is null)
        {
            return true; // the all-namespaces view, filtered per namespace
        }

        var groups = DashboardClaims.Groups(user);
        var key = (name, string.Join('\n', groups), @namespace);
        var now = time.GetUtcNow();
        if (_answers.TryGetValue(key, out var cached) && cached.Expires > now)
        {
            return cached.Allowed;
        }

        bool allowed;
        try
        {
            allowed = await reviewer.MayListJobsAsync(name, groups, @namespace, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Access review for {User} in namespace {Namespace} failed; denying", name, @namespace);
            return false;
        }

        _answers[key] = (allowed, now + options.Value.AccessCacheDuration);
        return allowed;
    }
}
