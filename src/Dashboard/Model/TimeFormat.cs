using System.Globalization;

namespace Dashboard.Model;

/// <summary>Short human durations ("45s", "3m", "2h 5m", "4d") as kubectl prints them.</summary>
public static class TimeFormat
{
    public static string Short(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        var inv = CultureInfo.InvariantCulture;
        if (span.TotalSeconds < 60)
        {
            return ((int)span.TotalSeconds).ToString(inv) + "s";
        }

        if (span.TotalMinutes < 60)
        {
            var seconds = span.Seconds;
            return span.TotalMinutes < 10 && seconds > 0
                ? string.Create(inv, $"{(int)span.TotalMinutes}m {seconds}s")
                : string.Create(inv, $"{(int)span.TotalMinutes}m");
        }

        if (span.TotalHours < 24)
        {
            return span.Minutes > 0
                ? string.Create(inv, $"{(int)span.TotalHours}h {span.Minutes}m")
                : string.Create(inv, $"{(int)span.TotalHours}h");
        }

        if (span.TotalDays < 365)
        {
            return span.Hours > 0 && span.TotalDays < 10
                ? string.Create(inv, $"{(int)span.TotalDays}d {span.Hours}h")
                : string.Create(inv, $"{(int)span.TotalDays}d");
        }

        return string.Create(inv, $"{(int)(span.TotalDays / 365)}y {(int)(span.TotalDays % 365)}d");
    }

    /// <summary>"3m ago" for a past instant, "in 5s" for a future one, "" when unknown.</summary>
    public static string Relative(DateTimeOffset? instant, DateTimeOffset now) => instant switch
    {
        null => "",
        { } t when t > now => "in " + Short(t - now),
        { } t => Short(now - t) + " ago",
    };

    public static string Age(DateTimeOffset? createdAt, DateTimeOffset now) => createdAt is { } c ? Short(now - c) : "";

    public static string Duration(TimeSpan? duration) => duration is { } d ? Short(d) : "";

    /// <summary>An absolute UTC timestamp for tooltips and the timeline.</summary>
    public static string Absolute(DateTimeOffset? instant) =>
        instant?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) ?? "";

    /// <summary>An axis label: time of day for ranges under a day, else the date too (UTC either way).</summary>
    public static string AxisLabel(DateTimeOffset at, TimeSpan range) =>
        at.ToUniversalTime().ToString(range < TimeSpan.FromDays(1) ? "HH:mm:ss" : range < TimeSpan.FromDays(365) ? "MMM d HH:mm" : "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
