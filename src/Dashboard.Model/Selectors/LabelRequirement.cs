using System.Collections.ObjectModel;
using System.Globalization;
using System.Text;

namespace Dashboard.Model.Selectors;

/// <summary>
/// One requirement of a label selector: a key, an operator and (for the binary operators) a sorted,
/// de-duplicated set of values. Built only by <see cref="LabelSelector.Parse"/>, so it is always valid.
/// </summary>
public sealed class LabelRequirement
{
    // Kept as an array so Matches can scan it without an enumerator; almost always one value.
    private readonly string[] _values;

    // Gt/Lt compare integers; the requirement's side is parsed once here rather than on every match.
    private readonly long _integerValue;

    internal LabelRequirement(string key, LabelSelectorOperator @operator, string[] values)
    {
        Key = key;
        Operator = @operator;
        _values = values;
        Values = new ReadOnlyCollection<string>(values);
        if (@operator is LabelSelectorOperator.GreaterThan or LabelSelectorOperator.LessThan)
        {
            _integerValue = long.Parse(values[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }
    }

    public string Key { get; }

    public LabelSelectorOperator Operator { get; }

    /// <summary>The values, sorted ordinally and without duplicates (empty for exists / does-not-exist).</summary>
    public IReadOnlyList<string> Values { get; }

    /// <summary>Upstream <c>Requirement.Matches</c>: notin and != also match when the key is absent.</summary>
    public bool Matches(IReadOnlyDictionary<string, string>? labels)
    {
        string? value = null;
        var exists = labels is not null && labels.TryGetValue(Key, out value);
        switch (Operator)
        {
            case LabelSelectorOperator.In:
            case LabelSelectorOperator.Equals:
            case LabelSelectorOperator.DoubleEquals:
                return exists && HasValue(value!);
            case LabelSelectorOperator.NotIn:
            case LabelSelectorOperator.NotEquals:
                return !exists || !HasValue(value!);
            case LabelSelectorOperator.Exists:
                return exists;
            case LabelSelectorOperator.DoesNotExist:
                return !exists;
            case LabelSelectorOperator.GreaterThan:
            case LabelSelectorOperator.LessThan:
                // Like strconv.ParseInt(v, 10, 64): optional sign, decimal digits, no spaces.
                if (!exists || !long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var labelValue))
                {
                    return false;
                }

                return Operator == LabelSelectorOperator.GreaterThan ? labelValue > _integerValue : labelValue < _integerValue;
            default:
                return false;
        }
    }

    private bool HasValue(string value)
    {
        foreach (var candidate in _values)
        {
            if (string.Equals(candidate, value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Upstream <c>Requirement.String()</c>, e.g. <c>!a</c>, <c>a=b</c>, <c>a in (x,y)</c>, <c>a&gt;5</c>.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        AppendTo(builder);
        return builder.ToString();
    }

    internal void AppendTo(StringBuilder builder)
    {
        if (Operator == LabelSelectorOperator.DoesNotExist)
        {
            builder.Append('!');
        }

        builder.Append(Key);
        switch (Operator)
        {
            case LabelSelectorOperator.Exists:
            case LabelSelectorOperator.DoesNotExist:
                return;
            case LabelSelectorOperator.Equals:
                builder.Append('=');
                break;
            case LabelSelectorOperator.DoubleEquals:
                builder.Append("==");
                break;
            case LabelSelectorOperator.NotEquals:
                builder.Append("!=");
                break;
            case LabelSelectorOperator.In:
                builder.Append(" in (");
                break;
            case LabelSelectorOperator.NotIn:
                builder.Append(" notin (");
                break;
            case LabelSelectorOperator.GreaterThan:
                builder.Append('>');
                break;
            case LabelSelectorOperator.LessThan:
                builder.Append('<');
                break;
        }

        builder.AppendJoin(',', _values);
        if (Operator is LabelSelectorOperator.In or LabelSelectorOperator.NotIn)
        {
            builder.Append(')');
        }
    }
}
