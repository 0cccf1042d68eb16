using Dashboard.Kubernetes.Query;
using Dashboard.Model.PyTorchJobs;

namespace Dashboard.Model;

/// <summary>One step of a job's life: a condition that became true, and how long the job stayed in it.</summary>
public sealed record ConditionStep(
    string Type,
    string? Reason,
    string? Message,
    DateTimeOffset Start,
    DateTimeOffset? End,
    bool Current,
    bool Observed)
{
    /// <summary>Time spent in the step; for the current step of an unfinished job, until <paramref name="now"/>.</summary>
    public TimeSpan? TimeSpent(DateTimeOffset now) => End is { } end ? end - Start : Current && !IsTerminal ? now - Start : null;

    public bool IsTerminal => Type is JobConditionTypes.Succeeded or JobConditionTypes.Failed;
}

/// <summary>
/// Builds the condition timeline from the conditions the job carries now (one per type, so a Restarting loop
/// shows only its latest turn) merged with what the cache observed (every transition, so loops show in full).
/// </summary>
public static class ConditionTimeline
{
    public static IReadOnlyList<ConditionStep> Build(JobStatus? status, IReadOnlyList<ObservedChange> history)
    {
        var entries = new List<(string Type, string? Reason, string? Message, DateTimeOffset At, bool Observed)>();

        foreach (var change in history)
        {
            if (change.Kind == ObservedChangeKind.Condition && change.Condition is { } c && IsTrue(c))
            {
                entries.Add((c.Type, c.Reason, c.Message, TransitionTime(c) ?? change.ObservedAt, true));
            }
        }

        foreach (var c in status?.Conditions ?? [])
        {
            if (!IsTrue(c) || TransitionTime(c) is not { } at)
            {
                continue;
            }

            // Already observed: the history has the same transition (same type at the same time).
            if (entries.Any(e => e.Type == c.Type && e.At == at))
            {
                continue;
            }

            entries.Add((c.Type, c.Reason, c.Message, at, false));
        }

        // Stable sort: equal times keep history order (the order the cache saw them).
        var ordered = entries.Select((e, i) => (e, i)).OrderBy(x => x.e.At).ThenBy(x => x.i).Select(x => x.e).ToList();

        var steps = new List<ConditionStep>();
        foreach (var entry in ordered)
        {
            // The same condition re-reported (a message update) continues the step rather than starting a new one.
            if (steps.Count > 0 && steps[^1].Type == entry.Type)
            {
                continue;
            }

            if (steps.Count > 0)
            {
                steps[^1] = steps[^1] with { End = entry.At, Current = false };
            }

            steps.Add(new ConditionStep(entry.Type, entry.Reason, entry.Message, entry.At, null, true, entry.Observed));
        }

        return steps;
    }

    public static int RestartCount(IReadOnlyList<ConditionStep> steps) => steps.Count(s => s.Type == JobConditionTypes.Restarting);

    private static bool IsTrue(JobCondition condition) => string.Equals(condition.Status, "True", StringComparison.OrdinalIgnoreCase);

    private static DateTimeOffset? TransitionTime(JobCondition condition) =>
        condition.LastTransitionTime is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) :
        condition.LastUpdateTime is { } u ? new DateTimeOffset(DateTime.SpecifyKind(u, DateTimeKind.Utc)) : null;
}
