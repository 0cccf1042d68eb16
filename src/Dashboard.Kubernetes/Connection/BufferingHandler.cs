namespace Dashboard.Kubernetes.Connection;

/// <summary>
/// KubernetesClient deserializes a response by reading its stream synchronously; on a slow network that
/// blocks a thread-pool thread per page in flight. Buffering non-watch bodies asynchronously first makes
/// that read a memory copy. Watches stream, so they pass through untouched.
/// </summary>
public sealed class BufferingHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var query = request.RequestUri?.Query;
        if (query is null || !query.Contains("watch=true", StringComparison.OrdinalIgnoreCase))
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        }

        return response;
    }
}
