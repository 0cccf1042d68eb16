using System.Globalization;
using System.Text;

namespace Dashboard.Benchmarks.Infrastructure;

/// <summary>One markdown table of a suite: each figure, what it is compared with in the same run, the ratio and the target.</summary>
internal sealed class ResultTable(string title)
{
    private readonly List<string[]> _rows = [];

    public void Add(string figure, string value, string peer = "", string ratio = "", string target = "", bool? met = null) =>
        _rows.Add([figure, value, peer, ratio, target, met switch { true => "yes", false => "**no**", null => "" }]);

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"### {title}");
        text.AppendLine();
        text.AppendLine("| Figure | Value | Peer (same run) | Ratio | Target | Met |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (var row in _rows)
        {
            text.AppendLine("| " + string.Join(" | ", row.Select(cell => cell.Replace("|", "\\|", StringComparison.Ordinal))) + " |");
        }

        return text.ToString();
    }

    public static string Ms(double value) => double.IsNaN(value) ? "n/a" : value.ToString(value < 10 ? "0.0" : "0", CultureInfo.InvariantCulture) + " ms";

    public static string Number(double value, string format = "0.00") => double.IsNaN(value) ? "n/a" : value.ToString(format, CultureInfo.InvariantCulture);

    public static string MiB(double bytes) => (bytes / (1024 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";
}
