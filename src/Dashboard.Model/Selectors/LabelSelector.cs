using System.Collections.ObjectModel;
using System.Text;

namespace Dashboard.Model.Selectors;

/// <summary>
/// A Kubernetes label selector, parsed and matched as the API server does
/// (apimachinery <c>pkg/labels/selector.go</c>): requirements are ANDed and kept sorted by key.
/// Immutable and safe to share between threads.
/// </summary>
public sealed class LabelSelector : IEquatable<LabelSelector>
{
    private readonly LabelRequirement[] _requirements;
    private readonly string _canonical;

    private LabelSelector(LabelRequirement[] requirements)
    {
        _requirements = requirements;
        Requirements = new ReadOnlyCollection<LabelRequirement>(requirements);
        _canonical = BuildCanonical(requirements);
    }

    /// <summary>The selector that matches every set of labels (an empty selector string).</summary>
    public static LabelSelector Everything { get; } = new([]);

    /// <summary>True when the selector has no requirements and so matches everything.</summary>
    public bool IsEmpty => _requirements.Length == 0;

    /// <summary>The requirements, sorted by key (stable for equal keys).</summary>
    public IReadOnlyList<LabelRequirement> Requirements { get; }

    /// <summary>Parses a selector; null or empty gives <see cref="Everything"/>.</summary>
    /// <exception cref="SelectorParseException">The message is the one the API server returns with 400 BadRequest.</exception>
    public static LabelSelector Parse(string? selector)
    {
        if (string.IsNullOrEmpty(selector))
        {
            return Everything;
        }

        var requirements = new LabelSelectorParser(selector).Parse();
        if (requirements.Count == 0)
        {
            return Everything;
        }

        // Ordinal by key like Go's byte-wise sort; OrderBy is stable, so equal keys keep their written order.
        var ordered = requirements.OrderBy(requirement => requirement.Key, StringComparer.Ordinal).ToArray();
        return new LabelSelector(ordered);
    }

    /// <summary>Parses a selector without throwing; on failure <paramref name="error"/> holds the API server's message.</summary>
    public static bool TryParse(string? selector, out LabelSelector result, out string? error)
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

    /// <summary>True when every requirement matches. Allocation-free: called per job per subscriber on each change.</summary>
    public bool Matches(IReadOnlyDictionary<string, string>? labels)
    {
        foreach (var requirement in _requirements)
        {
            if (!requirement.Matches(labels))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The canonical form (upstream <c>String()</c>): requirements sorted by key, values sorted, joined by ','.</summary>
    public override string ToString() => _canonical;

    /// <summary>Selectors with the same canonical form are equal (so "b,a" equals "a, b"), handy as a cache key.</summary>
    public bool Equals(LabelSelector? other) => other is not null && string.Equals(_canonical, other._canonical, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as LabelSelector);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_canonical);

    private static string BuildCanonical(LabelRequirement[] requirements)
    {
        if (requirements.Length == 0)
        {
            return string.Empty;
        }

        var builder = new StringBuilder();
        for (var i = 0; i < requirements.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            requirements[i].AppendTo(builder);
        }

        return builder.ToString();
    }
}
