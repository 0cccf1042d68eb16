using System.Text.RegularExpressions;
using Dashboard.Emulator.Errors;

namespace Dashboard.Emulator.Validation;

/// <summary>apimachinery's name validation, with its messages.</summary>
internal static partial class NameRules
{
    private const string SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an "
        + "alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    private const string LabelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an "
        + "alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    /// <summary>Object names of most resources (custom resources included): a DNS-1123 subdomain.</summary>
    public static IEnumerable<FieldError> CheckSubdomain(string field, string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            yield return FieldError.Required(field, "name or generateName is required");
            yield break;
        }

        if (name.Length > 253)
        {
            yield return FieldError.InvalidValue(field, Quote(name), "must be no more than 253 characters");
        }

        if (!Subdomain().IsMatch(name))
        {
            yield return FieldError.InvalidValue(field, Quote(name), SubdomainMessage);
        }
    }

    /// <summary>Namespace names: a DNS-1123 label.</summary>
    public static IEnumerable<FieldError> CheckLabel(string field, string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            yield return FieldError.Required(field, "name or generateName is required");
            yield break;
        }

        if (name.Length > 63)
        {
            yield return FieldError.InvalidValue(field, Quote(name), "must be no more than 63 characters");
        }

        if (!Label().IsMatch(name))
        {
            yield return FieldError.InvalidValue(field, Quote(name), LabelMessage);
        }
    }

    public static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();
}
