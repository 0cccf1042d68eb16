namespace Dashboard.Model;

/// <summary>Edits a label selector's text the way clicking a label should: as the user would type it.</summary>
public static class SelectorEditing
{
    /// <summary>
    /// Adds <c>key=value</c>. An equality term on the same key is replaced (a job has one value per key, so
    /// "team=a,team=b" would match nothing); every other term is kept as written.
    /// </summary>
    public static string WithEquality(string? selector, string key, string value)
    {
        var terms = Terms(selector).Where(t => EqualityKey(t) != key).ToList();
        terms.Add(key + "=" + value);
        return string.Join(",", terms);
    }

    public static bool HasEquality(string? selector, string key, string value) =>
        Terms(selector).Any(t => EqualityKey(t) == key && EqualityValue(t) == value);

    /// <summary>Top-level terms: commas inside "in (a,b)" sets do not split.</summary>
    public static IReadOnlyList<string> Terms(string? selector)
    {
        var terms = new List<string>();
        if (string.IsNullOrWhiteSpace(selector))
        {
            return terms;
        }

        var depth = 0;
        var start = 0;
        for (var i = 0; i < selector.Length; i++)
        {
            switch (selector[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth = Math.Max(0, depth - 1);
                    break;
                case ',' when depth == 0:
                    AddTerm(selector[start..i]);
                    start = i + 1;
                    break;
            }
        }

        AddTerm(selector[start..]);
        return terms;

        void AddTerm(string term)
        {
            if (!string.IsNullOrWhiteSpace(term))
            {
                terms.Add(term.Trim());
            }
        }
    }

    private static string? EqualityKey(string term)
    {
        var at = EqualsAt(term);
        return at < 0 ? null : term[..at].Trim();
    }

    private static string? EqualityValue(string term)
    {
        var at = EqualsAt(term);
        if (at < 0)
        {
            return null;
        }

        var rest = term[(at + 1)..];
        return (rest.StartsWith('=') ? rest[1..] : rest).Trim();
    }

    // "k=v" or "k==v", but not "k!=v".
    private static int EqualsAt(string term)
    {
        var at = term.IndexOf('=', StringComparison.Ordinal);
        return at <= 0 || term[at - 1] == '!' ? -1 : at;
    }
}
