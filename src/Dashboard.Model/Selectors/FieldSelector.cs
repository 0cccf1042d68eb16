using System.Text;

namespace Dashboard.Model.Selectors;

/// <summary>
/// A field selector as the API server accepts it for a custom resource: only <c>metadata.name</c> and
/// <c>metadata.namespace</c>, with <c>=</c>, <c>==</c> or <c>!=</c>, terms ANDed by commas. Parsing follows
/// apimachinery <c>fields.ParseSelector</c> (split on unescaped commas, terms sorted, <c>\,</c> <c>\=</c>
/// <c>\\</c> escapes in values); the label check is the CRD handler's <c>ConvertFieldLabel</c>.
/// </summary>
public sealed class FieldSelector
{
    private const string NameField = "metadata.name";
    private const string NamespaceField = "metadata.namespace";

    private readonly Term[] _terms;

    private FieldSelector(Term[] terms) => _terms = terms;

    /// <summary>The selector that matches every object.</summary>
    public static FieldSelector Everything { get; } = new([]);

    public bool IsEmpty => _terms.Length == 0;

    /// <summary>Parses a field selector; null or empty gives <see cref="Everything"/>.</summary>
    /// <exception cref="SelectorParseException">The message is the one the API server returns with 400 BadRequest.</exception>
    public static FieldSelector Parse(string? selector)
    {
        if (string.IsNullOrEmpty(selector))
        {
            return Everything;
        }

        var parts = SplitTerms(selector);
        parts.Sort(StringComparer.Ordinal);
        var parsed = new List<(string Field, bool Negated, string Value)>();
        foreach (var part in parts)
        {
            if (part.Length == 0)
            {
                continue;
            }

            if (!TrySplitTerm(part, out var field, out var op, out var rawValue))
            {
                throw new SelectorParseException($"invalid selector: '{selector}'; can't understand '{part}'");
            }

            parsed.Add((field, op == "!=", UnescapeValue(rawValue)));
        }

        // The label conversion runs after the whole string parsed, term by term in sorted order.
        var terms = new Term[parsed.Count];
        for (var i = 0; i < parsed.Count; i++)
        {
            var (field, negated, value) = parsed[i];
            var isName = field switch
            {
                NameField => true,
                NamespaceField => false,
                _ => throw new SelectorParseException($"field label not supported: {field}"),
            };
            terms[i] = new Term(isName, negated, value);
        }

        return terms.Length == 0 ? Everything : new FieldSelector(terms);
    }

    /// <summary>Parses without throwing; on failure <paramref name="error"/> holds the API server's message.</summary>
    public static bool TryParse(string? selector, out FieldSelector result, out string? error)
    {
        try
        {
            result = Parse(selector);
            error = null;
            return true;
        }
        catch (SelectorParseException exception)
        {
            result = Everything;
            error = exception.Message;
            return false;
        }
    }

    /// <summary>True when every term matches the object's namespace and name. Allocation-free.</summary>
    public bool Matches(string @namespace, string name)
    {
        foreach (var term in _terms)
        {
            var actual = term.IsName ? name : @namespace;
            if (string.Equals(actual, term.Value, StringComparison.Ordinal) == term.Negated)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Upstream <c>String()</c>: <c>field=value</c> / <c>field!=value</c> in sorted order, values unescaped.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        foreach (var term in _terms)
        {
            if (builder.Length > 0)
            {
                builder.Append(',');
            }

            builder.Append(term.IsName ? NameField : NamespaceField).Append(term.Negated ? "!=" : "=").Append(term.Value);
        }

        return builder.ToString();
    }

    // Backslash-escaped commas stay inside a term, backslash included.
    private static List<string> SplitTerms(string selector)
    {
        var terms = new List<string>();
        var start = 0;
        var inSlash = false;
        for (var i = 0; i < selector.Length; i++)
        {
            var ch = selector[i];
            if (inSlash)
            {
                inSlash = false;
            }
            else if (ch == '\\')
            {
                inSlash = true;
            }
            else if (ch == ',')
            {
                terms.Add(selector[start..i]);
                start = i + 1;
            }
        }

        terms.Add(selector[start..]);
        return terms;
    }

    // The first operator occurrence splits the term; "!=" and "==" are tried before "=" at each position.
    private static bool TrySplitTerm(string term, out string field, out string op, out string value)
    {
        for (var i = 0; i < term.Length; i++)
        {
            foreach (var candidate in (ReadOnlySpan<string>)["!=", "==", "="])
            {
                if (term.AsSpan(i).StartsWith(candidate, StringComparison.Ordinal))
                {
                    field = term[..i];
                    op = candidate;
                    value = term[(i + candidate.Length)..];
                    return true;
                }
            }
        }

        field = op = value = string.Empty;
        return false;
    }

    private static string UnescapeValue(string value)
    {
        if (value.AsSpan().IndexOfAny('\\', ',', '=') < 0)
        {
            return value;
        }

        var builder = new StringBuilder(value.Length);
        var inSlash = false;
        foreach (var rune in value.EnumerateRunes())
        {
            if (inSlash)
            {
                if (rune.Value is '\\' or ',' or '=')
                {
                    builder.Append(rune.ToString());
                    inSlash = false;
                    continue;
                }

                throw new SelectorParseException("invalid field selector: invalid escape sequence: \\" + rune);
            }

            switch (rune.Value)
            {
                case '\\':
                    inSlash = true;
                    break;
                case ',':
                case '=':
                    // Go prints the rune with %v, i.e. as its number (61 for '=').
                    throw new SelectorParseException($"invalid field selector: unescapedRune character in value: {rune.Value}");
                default:
                    builder.Append(rune.ToString());
                    break;
            }
        }

        if (inSlash)
        {
            throw new SelectorParseException("invalid field selector: invalid escape sequence: \\");
        }

        return builder.ToString();
    }

    private readonly record struct Term(bool IsName, bool Negated, string Value);
}
