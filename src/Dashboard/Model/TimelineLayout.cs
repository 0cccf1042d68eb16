using Dashboard.Kubernetes.Query;

namespace Dashboard.Model;

/// <summary>One bar of the namespace timeline, in percent of the shown time range.</summary>
public sealed record TimelineBar(JobSummary Job, DateTimeOffset Start, DateTimeOffset End, bool Running, bool StartsBeforeWindow, double LeftPercent, double WidthPercent);

public sealed record TimelineLayout(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<TimelineBar> Bars, int Hidden, TimeSpan? Window)
{
    public const int MaxBars = 400;

    /// <summary>The windows offered; null = from the oldest job.</summary>
    public static IReadOnlyList<TimeSpan?> Windows { get; } =
    [
        TimeSpan.FromMinutes(15), TimeSpan.FromHours(1), TimeSpan.FromHours(6), TimeSpan.FromDays(1), TimeSpan.FromDays(7), TimeSpan.FromDays(30), null,
    ];

    /// <summary>
    /// Bars from start (or creation) to completion (or now), most recently started last; at most <see cref="MaxBars"/>.
    /// <paramref name="window"/>: how far back to show (null: all); <paramref name="auto"/> picks the smallest window
    /// holding 90% of the jobs, so one ancient job does not squash the rest into slivers.
    /// </summary>
    public static TimelineLayout Build(IEnumerable<JobSummary> jobs, DateTimeOffset now, TimeSpan? window = null, bool auto = true)
    {
        var dated = jobs
            .Select(j => (Job: j, Start: (j.StartTime ?? j.CreatedAt)!.Value, End: j.CompletionTime ?? now))
            .Where(x => (x.Job.StartTime ?? x.Job.CreatedAt) is not null)
            .OrderByDescending(x => x.Start)
            .ThenBy(x => x.Job.Key, StringComparer.Ordinal)
            .ToList();
        if (auto)
        {
            window = AutoWindow(dated.Select(x => x.Start).ToList(), now);
        }

        var windowStart = window is { } w ? now - w : DateTimeOffset.MinValue;
        var inWindow = dated.Where(x => x.End >= windowStart).ToList();
        var shown = inWindow.Take(MaxBars).Reverse().ToList();
        if (shown.Count == 0)
        {
            return new TimelineLayout(now, now, [], dated.Count, window);
        }

        var from = window is null ? shown.Min(x => x.Start) : windowStart;
        var to = now;
        var range = Math.Max((to - from).TotalSeconds, 1);
        var bars = shown.Select(x =>
        {
            var start = x.Start < from ? from : x.Start;
            var end = x.End < start ? start : x.End;
            var left = (start - from).TotalSeconds / range * 100;
            var width = Math.Max((end - start).TotalSeconds / range * 100, 0.4);
            return new TimelineBar(x.Job, x.Start, x.End, x.Job.CompletionTime is null, x.Start < from, left, Math.Min(width, 100 - left));
        }).ToList();
        return new TimelineLayout(from, to, bars, dated.Count - shown.Count, window);
    }

    private static TimeSpan? AutoWindow(List<DateTimeOffset> startsNewestFirst, DateTimeOffset now)
    {
        if (startsNewestFirst.Count == 0)
        {
            return null;
        }

        // The start of the job at the 90th percentile of age.
        var index = Math.Min(startsNewestFirst.Count - 1, (int)Math.Ceiling(startsNewestFirst.Count * 0.9) - 1);
        var needed = now - startsNewestFirst[index];
        return Windows.FirstOrDefault(w => w is { } span && span >= needed);
    }

    /// <summary>Evenly spaced axis ticks, including both ends.</summary>
    public IReadOnlyList<(double Percent, DateTimeOffset At)> Ticks(int count = 5)
    {
        var span = To - From;
        return [.. Enumerable.Range(0, count).Select(i => ((double)i / (count - 1) * 100, From + (span * i / (count - 1))))];
    }

    public static string WindowLabel(TimeSpan? window) => window is { } w ? "Last " + TimeFormat.Short(w) : "Everything";
}
