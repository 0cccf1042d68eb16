namespace Dashboard.Kubernetes.Connection;

/// <summary>
/// The configured connection cannot be built (kubeconfig missing, unreadable, unknown context; no service
/// account). The message is one line a person can act on; start-up prints it instead of a stack trace.
/// </summary>
public sealed class KubernetesConnectionException(string message, Exception? innerException = null) : Exception(message, innerException)
{
    /// <summary>The first line of an exception's message (YAML and IO messages can run over several).</summary>
    internal static string FirstLine(Exception exception)
    {
        var message = exception.Message.Trim();
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end].TrimEnd();
    }
}
