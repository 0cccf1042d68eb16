using System.Globalization;
using System.Text;

namespace Dashboard.Model.Selectors;

/// <summary>How apimachinery's <c>field.Error</c> and <c>utilerrors.Aggregate</c> print themselves.</summary>
internal static class FieldErrors
{
    /// <summary><c>field.Invalid(path, value, detail).Error()</c>: <c>path: Invalid value: "value": detail</c>.</summary>
    public static string Invalid(string path, string value, string detail, bool quote = true) =>
        $"{path}: Invalid value: {(quote ? GoQuote(value) : value)}: {detail}";

    /// <summary>One message as is; several (duplicates dropped) as <c>[a, b]</c>.</summary>
    public static string Aggregate(IReadOnlyList<string> messages)
    {
        var distinct = new List<string>();
        foreach (var message in messages)
        {
            if (!distinct.Contains(message))
            {
                distinct.Add(message);
            }
        }

        return distinct.Count == 1 ? distinct[0] : "[" + string.Join(", ", distinct) + "]";
    }

    /// <summary>Go's <c>%q</c> (<c>strconv.Quote</c>): printable characters as is, the rest escaped.</summary>
    public static string GoQuote(string value)
    {
        var builder = new StringBuilder(value.Length + 2);
        builder.Append('"');
        foreach (var rune in value.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"':
                    builder.Append("\\\"");
                    continue;
                case '\\':
                    builder.Append("\\\\");
                    continue;
                case '\a':
                    builder.Append("\\a");
                    continue;
                case '\b':
                    builder.Append("\\b");
                    continue;
                case '\f':
                    builder.Append("\\f");
                    continue;
                case '\n':
                    builder.Append("\\n");
                    continue;
                case '\r':
                    builder.Append("\\r");
                    continue;
                case '\t':
                    builder.Append("\\t");
                    continue;
                case '\v':
                    builder.Append("\\v");
                    continue;
            }

            if (IsGoPrintable(rune))
            {
                builder.Append(rune.ToString());
            }
            else if (rune.Value < 0x80)
            {
                builder.Append("\\x").Append(rune.Value.ToString("x2", CultureInfo.InvariantCulture));
            }
            else if (rune.Value <= 0xFFFF)
            {
                builder.Append("\\u").Append(rune.Value.ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append("\\U").Append(rune.Value.ToString("x8", CultureInfo.InvariantCulture));
            }
        }

        builder.Append('"');
        return builder.ToString();
    }

    // unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
    private static bool IsGoPrintable(Rune rune)
    {
        if (rune.Value == ' ')
        {
            return true;
        }

        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
                or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                or UnicodeCategory.SpaceSeparator => false,
            _ => true,
        };
    }
}
