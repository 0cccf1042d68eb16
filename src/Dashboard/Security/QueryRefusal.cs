using Dashboard.Kubernetes.Query;

namespace Dashboard.Security;

/// <summary>
/// A query refused before any job is read: a namespace this user may not read, a name Kubernetes could never hold,
/// or no room for another namespace cache. One mapping for every surface: pages show <see cref="Title"/> and the
/// message, the JSON API answers <see cref="StatusCode"/> with <see cref="Reason"/>, the hub passes the message on.
/// </summary>
public sealed record QueryRefusal(string Title, int StatusCode, string Reason, string Message)
{
    /// <summary>The refusal an exception stands for, or null when it is not one.</summary>
    public static QueryRefusal? From(Exception exception) => exception switch
    {
        NamespaceForbiddenException e => new("403 Forbidden", StatusCodes.Status403Forbidden, "Forbidden", e.Message),
        InvalidNamespaceException e => new("Invalid namespace", StatusCodes.Status400BadRequest, "BadRequest", e.Message),
        CacheLimitException e => new("Too many namespaces open", StatusCodes.Status503ServiceUnavailable, "ServiceUnavailable", e.Message),
        _ => null,
    };
}
