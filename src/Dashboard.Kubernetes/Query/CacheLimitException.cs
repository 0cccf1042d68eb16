namespace Dashboard.Kubernetes.Query;

/// <summary>
/// Every one of the <c>Kubernetes:MaxCaches</c> caches has subscribers, so no cache can start for another
/// namespace. Transient: it clears as views close.
/// </summary>
public sealed class CacheLimitException(int maxCaches) : InvalidOperationException(
    $"The dashboard is already watching {maxCaches} namespaces, its limit (Kubernetes:MaxCaches), and every one is in use. " +
    "Try again when some views close, or raise the limit.")
{
    public int MaxCaches { get; } = maxCaches;
}
