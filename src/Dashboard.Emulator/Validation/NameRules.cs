using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Dashboard.Emulator.Errors;

namespace Dashboard.Emulator.Validation;

/// <summary>apimachinery's name validation, with its messages. Lengths are Go's len(): UTF-8 bytes.</summary>
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
            return [FieldError.Required(field, "name or generateName is required")];
        }

        return SubdomainErrors(name).Select(message => FieldError.InvalidValue(field, Quote(name), message)).ToList();
    }

    /// <summary>validation.IsDNS1123Subdomain: its messages without a field.</summary>
    public static IReadOnlyList<string> SubdomainErrors(string value)
    {
        var errors = new List<string>();
        if (Encoding.UTF8.GetByteCount(value) > 253)
        {
            errors.Add("must be no more than 253 characters");
        }

        if (!Subdomain().IsMatch(value))
        {
            errors.Add(SubdomainMessage);
        }

        return errors;
    }

    /// <summary>Namespace names: a DNS-1123 label.</summary>
    public static IEnumerable<FieldError> CheckLabel(string field, string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            yield return FieldError.Required(field, "name or generateName is required");
            yield break;
        }

        if (Encoding.UTF8.GetByteCount(name) > 63)
        {
            yield return FieldError.InvalidValue(field, Quote(name), "must be no more than 63 characters");
        }

        if (!Label().IsMatch(name))
        {
            yield return FieldError.InvalidValue(field, Quote(name), LabelMessage);
        }
    }

    /// <summary>A string as Go's %q prints it (strconv.Quote), which is how field.Invalid shows a string value.</summary>
    public static string Quote(string value)
    {
        var quoted = new StringBuilder(value.Length + 2).Append('"');
        foreach (var rune in value.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"': quoted.Append("\\\""); break;
                case '\\': quoted.Append("\\\\"); break;
                case '\a': quoted.Append("\\a"); break;
                case '\b': quoted.Append("\\b"); break;
                case '\f': quoted.Append("\\f"); break;
                case '\n': quoted.Append("\\n"); break;
                case '\r': quoted.Append("\\r"); break;
                case '\t': quoted.Append("\\t"); break;
                case '\v': quoted.Append("\\v"); break;
                case < ' ' or 0x7f:
                    quoted.Append(CultureInfo.InvariantCulture, $"\\x{rune.Value:x2}");
                    break;
                default:
                    if (IsGoPrintable(rune))
                    {
                        quoted.Append(rune.ToString());
                    }
                    else if (rune.Value < 0x10000)
                    {
                        quoted.Append(CultureInfo.InvariantCulture, $"\\u{rune.Value:x4}");
                    }
                    else
                    {
                        quoted.Append(CultureInfo.InvariantCulture, $"\\U{rune.Value:x8}");
                    }

                    break;
            }
        }

        return quoted.Append('"').ToString();
    }

    /// <summary>Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.</summary>
    private static bool IsGoPrintable(Rune rune) => rune.Value == ' ' || Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber
            or UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
            or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
            or UnicodeCategory.OtherPunctuation
            or UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol or UnicodeCategory.OtherSymbol => true,
        _ => false,
    };

    // \z, not $: Go's $ never matches before a trailing newline, .NET's does.
    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Subdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Label();
}
