using System.Globalization;
using Dashboard.Kubernetes.Query;

namespace Dashboard.Model;

/// <summary>
/// One bar of the namespace timeline, in percent of the shown time range: from creation (or start, when the
/// creation time is unknown) to completion or now. <see cref="WaitingPercent"/> is the share of the visible bar
/// spent created but not started (100 when the job has not started); the rest is drawn in the state's colour.
/// </summary>
public sealed record TimelineBar(
    JobSummary Job,
    DateTimeOffset Begin,
    DateTimeOffset? Started,
    DateTimeOffset End,
    bool Running,
    bool StartsBeforeWindow,
    double LeftPercent,
    double WidthPercent,
    double WaitingPercent)
{
    public bool HasStarted => Started is not null;

    public bool HasWaiting => WaitingPercent > 0;
}

/// <summary>One axis tick: where it is (percent of the range), the round instant, and its label.</summary>
public sealed record TimelineTick(double Percent, DateTimeOffset At, string Label);

/// <summary>
/// A tick spacing: a fixed span aligned to UTC midnight of the Unix epoch (weeks to Mondays), or a whole number
/// of calendar months aligned to January.
/// </summary>
public readonly record struct TickStep(TimeSpan Span, int Months)
{
    public TimeSpan Approximate => Months > 0 ? TimeSpan.FromDays(30.44 * Months) : Span;

    public override string ToString() => Months switch
    {
        0 => TimeFormat.Short(Span),
        _ when Months % 12 == 0 => (Months / 12).ToString(CultureInfo.InvariantCulture) + "y",
        _ => Months.ToString(CultureInfo.InvariantCulture) + "mo",
    };
}

public sealed record TimelineLayout(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<TimelineBar> Bars, int Hidden, TimeSpan? Window)
{
    public const int MaxBars = 400;

    /// <summary>The <c>window</c> query value meaning "from the oldest job"; no value means automatic.</summary>
    public const string AllWindowValue = "all";

    private const int MaxTicks = 8;

    // Monday 1970-01-05: week ticks fall on Mondays.
    private static readonly DateTimeOffset s_weekAnchor = new(1970, 1, 5, 0, 0, 0, TimeSpan.Zero);

    private static readonly TickStep[] s_steps =
    [
        .. new[] { 1, 2, 5, 10, 15, 30 }.Select(s => new TickStep(TimeSpan.FromSeconds(s), 0)),
        .. new[] { 1, 2, 5, 10, 15, 30 }.Select(m => new TickStep(TimeSpan.FromMinutes(m), 0)),
        .. new[] { 1, 2, 3, 6, 12 }.Select(h => new TickStep(TimeSpan.FromHours(h), 0)),
        .. new[] { 1, 2, 7 }.Select(d => new TickStep(TimeSpan.FromDays(d), 0)),
        .. new[] { 1, 3, 6, 12, 24, 60, 120, 240, 600, 1200 }.Select(m => new TickStep(TimeSpan.Zero, m)),
    ];

    /// <summary>The windows offered; null = from the oldest job.</summary>
    public static IReadOnlyList<TimeSpan?> Windows { get; } =
    [
        TimeSpan.FromMinutes(15), TimeSpan.FromHours(1), TimeSpan.FromHours(6), TimeSpan.FromDays(1), TimeSpan.FromDays(7), TimeSpan.FromDays(30), null,
    ];

    /// <summary>
    /// Bars from creation to completion (or now), most recently created last; at most <see cref="MaxBars"/>.
    /// <paramref name="window"/>: how far back to show (null: all); <paramref name="auto"/> picks the smallest window
    /// holding 90% of the jobs, so one ancient job does not squash the rest into slivers.
    /// </summary>
    public static TimelineLayout Build(IEnumerable<JobSummary> jobs, DateTimeOffset now, TimeSpan? window = null, bool auto = true)
    {
        var dated = jobs
            .Where(j => (j.CreatedAt ?? j.StartTime) is not null)
            .Select(j =>
            {
                var begin = (j.CreatedAt ?? j.StartTime)!.Value;
                // A start before creation is clock skew: the job started when it was created.
                DateTimeOffset? started = j.StartTime is { } s ? (s < begin ? begin : s) : null;
                return (Job: j, Begin: begin, Started: started, End: j.CompletionTime ?? now);
            })
            .OrderByDescending(x => x.Begin)
            .ThenBy(x => x.Job.Key, StringComparer.Ordinal)
            .ToList();
        if (auto)
        {
            window = AutoWindow(dated.Select(x => x.Begin).ToList(), now);
        }

        var windowStart = window is { } w ? now - w : DateTimeOffset.MinValue;
        var inWindow = dated.Where(x => x.End >= windowStart).ToList();
        var shown = inWindow.Take(MaxBars).Reverse().ToList();
        if (shown.Count == 0)
        {
            return new TimelineLayout(now, now, [], dated.Count, window);
        }

        var from = window is null ? shown.Min(x => x.Begin) : windowStart;
        var to = now;
        var range = Math.Max((to - from).TotalSeconds, 1);
        var bars = shown.Select(x =>
        {
            var begin = x.Begin < from ? from : x.Begin;
            var end = x.End < begin ? begin : x.End;
            var left = (begin - from).TotalSeconds / range * 100;
            var width = Math.Max((end - begin).TotalSeconds / range * 100, 0.4);
            var visible = (end - begin).TotalSeconds;
            var waiting = x.Started switch
            {
                null => 100,
                { } s when s <= begin => 0,
                { } s => visible <= 0 ? 0 : Math.Min((Min(s, end) - begin).TotalSeconds / visible * 100, 100),
            };
            return new TimelineBar(x.Job, x.Begin, x.Started, x.End, x.Job.CompletionTime is null, x.Begin < from, left, Math.Min(width, 100 - left), waiting);
        }).ToList();
        return new TimelineLayout(from, to, bars, dated.Count - shown.Count, window);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static TimeSpan? AutoWindow(List<DateTimeOffset> beginsNewestFirst, DateTimeOffset now)
    {
        if (beginsNewestFirst.Count == 0)
        {
            return null;
        }

        // The creation of the job at the 90th percentile of age.
        var index = Math.Min(beginsNewestFirst.Count - 1, (int)Math.Ceiling(beginsNewestFirst.Count * 0.9) - 1);
        var needed = now - beginsNewestFirst[index];
        return Windows.FirstOrDefault(w => w is { } span && span >= needed);
    }

    /// <summary>The smallest round spacing that puts at most <paramref name="maxTicks"/> ticks in <paramref name="range"/>.</summary>
    public static TickStep ChooseStep(TimeSpan range, int maxTicks = MaxTicks) =>
        s_steps.FirstOrDefault(s => range / s.Approximate <= maxTicks, s_steps[^1]);

    /// <summary>Ticks on round UTC times (every 5 min, 3 h, Monday, month…) chosen by the range, labelled to match.</summary>
    public IReadOnlyList<TimelineTick> Ticks(int maxTicks = MaxTicks)
    {
        var range = To - From;
        if (range <= TimeSpan.Zero)
        {
            return [];
        }

        var step = ChooseStep(range, maxTicks);
        var ticks = new List<TimelineTick>();
        for (var at = FirstTick(From, step); at <= To; at = Next(at, step))
        {
            ticks.Add(new TimelineTick((at - From) / range * 100, at, TickLabel(at, step)));
        }

        return ticks;
    }

    private static DateTimeOffset FirstTick(DateTimeOffset from, TickStep step)
    {
        from = from.ToUniversalTime();
        if (step.Months > 0)
        {
            var months = (from.Year * 12) + from.Month - 1;
            var aligned = months - (((months % step.Months) + step.Months) % step.Months);
            var first = new DateTimeOffset(aligned / 12, (aligned % 12) + 1, 1, 0, 0, 0, TimeSpan.Zero);
            return first < from ? first.AddMonths(step.Months) : first;
        }

        var anchor = step.Span == TimeSpan.FromDays(7) ? s_weekAnchor : DateTimeOffset.UnixEpoch;
        var steps = Math.Ceiling((from - anchor) / step.Span);
        return anchor + (step.Span * steps);
    }

    private static DateTimeOffset Next(DateTimeOffset at, TickStep step) => step.Months > 0 ? at.AddMonths(step.Months) : at + step.Span;

    /// <summary>As precise as the step needs: seconds only under a minute, the date at midnight or for day steps.</summary>
    public static string TickLabel(DateTimeOffset at, TickStep step)
    {
        at = at.ToUniversalTime();
        var format = step switch
        {
            { Months: > 0 } when step.Months % 12 == 0 => "yyyy",
            { Months: > 0 } => "MMM yyyy",
            _ when step.Span >= TimeSpan.FromDays(1) => "MMM d",
            _ when at.TimeOfDay == TimeSpan.Zero => "MMM d",
            _ when step.Span < TimeSpan.FromMinutes(1) => "HH:mm:ss",
            _ => "HH:mm",
        };
        return at.ToString(format, CultureInfo.InvariantCulture);
    }

    public static string WindowLabel(TimeSpan? window) => window is { } w ? "Last " + TimeFormat.Short(w) : "Everything";

    /// <summary>
    /// Reads the <c>window</c> query value: absent or unreadable = automatic, <c>all</c> = everything, else a
    /// positive number of seconds.
    /// </summary>
    public static (bool Auto, TimeSpan? Window) ParseWindow(string? value)
    {
        if (string.Equals(value, AllWindowValue, StringComparison.OrdinalIgnoreCase))
        {
            return (false, null);
        }

        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and <= 100L * 365 * 86400
            ? (false, TimeSpan.FromSeconds(seconds))
            : (true, null);
    }

    /// <summary>The <c>window</c> query value for a choice: null for automatic (left out of the URL).</summary>
    public static string? FormatWindow(bool auto, TimeSpan? window) =>
        auto ? null : window is { } w ? ((long)w.TotalSeconds).ToString(CultureInfo.InvariantCulture) : AllWindowValue;
}
