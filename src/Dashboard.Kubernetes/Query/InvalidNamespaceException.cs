using System.Text.RegularExpressions;

namespace Dashboard.Kubernetes.Query;

/// <summary>
/// A namespace name that Kubernetes could never hold (not an RFC 1123 label). Refused before a cache starts, so a
/// typo or a crafted URL cannot open a LIST and a WATCH against the API server. The message is the API server's.
/// </summary>
public sealed partial class InvalidNamespaceException(string @namespace) : ArgumentException(Describe(@namespace))
{
    public string Namespace { get; } = @namespace;

    /// <summary>Throws for a name that is not a valid namespace; null or empty (all namespaces) passes.</summary>
    public static void ThrowIfInvalid(string? @namespace)
    {
        if (!string.IsNullOrEmpty(@namespace) && (@namespace.Length > 63 || !Label().IsMatch(@namespace)))
        {
            throw new InvalidNamespaceException(@namespace);
        }
    }

    private static string Describe(string @namespace) => @namespace.Length > 63
        ? $"namespace \"{@namespace}\" is invalid: must be no more than 63 characters"
        : $"namespace \"{@namespace}\" is invalid: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();
}
