using System.Globalization;

namespace Dashboard.Emulator.Hosting;

/// <summary>The emulator's CLI flags, as DESIGN.md lists them.</summary>
internal static class CommandLine
{
    public const string Usage =
        "usage: Dashboard.Emulator [--port 8001] [--namespaces a,b,c] [--jobs 60] [--seed 42] [--events-per-second 2] [--token SECRET] [--policy FILE]\n"
        + "                          [--without-crd] [--without-example-job] [--fail-rate 0.05] [--fail-status 429] [--retry-after-seconds 5] [--cut-watch-after 40] [--abort-watch-after 40] [--latency-ms 20]\n"
        + "                          [--compact-every 5] [--history-limit 10000]";

    public static EmulatorOptions Parse(IReadOnlyList<string> args)
    {
        var options = new EmulatorOptions();
        var faults = options.Faults;
        for (var i = 0; i < args.Count; i++)
        {
            var flag = args[i];
            string? inlineValue = null;
            if (flag.StartsWith("--", StringComparison.Ordinal) && flag.IndexOf('=', StringComparison.Ordinal) is > 0 and var eq)
            {
                inlineValue = flag[(eq + 1)..];
                flag = flag[..eq];
            }

            string Value() => inlineValue ?? (i + 1 < args.Count ? args[++i] : throw new FormatException($"{flag} needs a value"));
            switch (flag)
            {
                case "--port": options = options with { Port = Int(flag, Value()) }; break;
                case "--namespaces": options = options with { Namespaces = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) }; break;
                case "--jobs": options = options with { Jobs = Int(flag, Value()) }; break;
                case "--seed": options = options with { Seed = Int(flag, Value()) }; break;
                case "--events-per-second": options = options with { EventsPerSecond = Double(flag, Value()) }; break;
                case "--token": options = options with { Token = Value() }; break;
                case "--policy": options = options with { Policy = Auth.AccessPolicy.Load(Value()) }; break;
                case "--without-crd": options = options with { WithoutCrd = true }; break;
                case "--without-example-job": options = options with { IncludeExampleJob = false }; break;
                case "--fail-rate": faults = faults with { FailRate = Double(flag, Value()) }; break;
                case "--cut-watch-after": faults = faults with { CutWatchAfter = Int(flag, Value()) }; break;
                case "--abort-watch-after": faults = faults with { AbortWatchAfter = Int(flag, Value()) }; break;
                case "--fail-status": faults = faults with { FailStatus = Int(flag, Value()) }; break;
                case "--retry-after-seconds": faults = faults with { RetryAfterSeconds = Int(flag, Value()) }; break;
                case "--latency-ms": faults = faults with { LatencyMs = Int(flag, Value()) }; break;
                case "--compact-every": options = options with { CompactEverySeconds = Double(flag, Value()) }; break;
                case "--history-limit": options = options with { HistoryLimit = Int(flag, Value()) }; break;
                default: throw new FormatException($"unknown flag: {args[i]}");
            }
        }

        return options with { Faults = faults };
    }

    private static int Int(string flag, string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw new FormatException($"{flag}: not a non-negative integer: {text}");

    private static double Double(string flag, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 && double.IsFinite(value)
            ? value
            : throw new FormatException($"{flag}: not a non-negative number: {text}");
}
