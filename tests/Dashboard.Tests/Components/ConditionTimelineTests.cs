using Bunit;
using Dashboard.Components.Controls;
using Dashboard.Kubernetes.Query;
using Dashboard.Model;
using Dashboard.Model.PyTorchJobs;

namespace Dashboard.Tests.Components;

public sealed class ConditionTimelineTests : DashboardTestContext
{
    private static readonly DateTime T0 = new(2026, 11, 27, 11, 0, 0, DateTimeKind.Utc);

    private static JobCondition Condition(string type, int minute, string status = "True", string? message = null) => new()
    {
        Type = type,
        Status = status,
        Reason = "PyTorchJob" + type,
        Message = message ?? $"PyTorchJob is {type.ToLowerInvariant()}.",
        LastTransitionTime = T0.AddMinutes(minute),
        LastUpdateTime = T0.AddMinutes(minute),
    };

    private static ObservedChange Observed(JobCondition condition) =>
        new(new DateTimeOffset(condition.LastTransitionTime!.Value), ObservedChangeKind.Condition, "rv", condition);

    [Fact]
    public void A_restarting_loop_from_the_history_shows_every_turn_with_time_spent()
    {
        // The status carries one condition per type (the latest turn); the history has every transition.
        var status = new JobStatus
        {
            Conditions =
            [
                Condition("Created", 0),
                Condition("Running", 30),
                Condition("Restarting", 20, status: "False"),
            ],
        };
        IReadOnlyList<ObservedChange> history =
        [
            Observed(Condition("Running", 1)),
            Observed(Condition("Restarting", 10, message: "Worker 1 exited with code 137")),
            Observed(Condition("Running", 12)),
            Observed(Condition("Restarting", 20, message: "Worker 0 exited with code 1")),
            Observed(Condition("Running", 30)),
        ];

        var steps = ConditionTimeline.Build(status, history);

        Assert.Equal(["Created", "Running", "Restarting", "Running", "Restarting", "Running"], steps.Select(s => s.Type));
        Assert.Equal(2, ConditionTimeline.RestartCount(steps));
        Assert.Equal(TimeSpan.FromMinutes(2), steps[2].TimeSpent(TestJobs.Now));
        Assert.True(steps[^1].Current);
        Assert.Equal(TimeSpan.FromMinutes(30), steps[^1].TimeSpent(TestJobs.Now));

        var cut = Render<ConditionTimelineView>(ps => ps.Add(p => p.Steps, steps).Add(p => p.Now, TestJobs.Now));

        Assert.Equal("2", cut.Find("[data-testid=restart-count]").GetAttribute("data-count"));
        var rendered = cut.FindAll("[data-testid=condition-step]");
        Assert.Equal(6, rendered.Count);
        Assert.Equal("Worker 1 exited with code 137", rendered[2].QuerySelector("[data-testid=step-message]")!.TextContent);
        Assert.Equal("PyTorchJobRestarting", rendered[2].QuerySelector("[data-testid=step-reason]")!.TextContent);
        Assert.Equal("2m", rendered[2].QuerySelector("[data-testid=step-spent]")!.TextContent.Trim());
        Assert.Equal("for 30m so far", rendered[5].QuerySelector("[data-testid=step-spent]")!.TextContent.Trim());
        Assert.Equal("true", rendered[5].GetAttribute("data-current"));
    }

    [Fact]
    public void Conditions_alone_give_the_steps_of_a_finished_job()
    {
        var status = new JobStatus
        {
            Conditions = [Condition("Created", 0), Condition("Running", 1, status: "False"), Condition("Succeeded", 40)],
        };

        var steps = ConditionTimeline.Build(status, []);

        Assert.Equal(["Created", "Succeeded"], steps.Select(s => s.Type));
        Assert.Equal(TimeSpan.FromMinutes(40), steps[0].TimeSpent(TestJobs.Now));
        Assert.Null(steps[1].TimeSpent(TestJobs.Now));

        var cut = Render<ConditionTimelineView>(ps => ps.Add(p => p.Steps, steps).Add(p => p.Now, TestJobs.Now));
        Assert.Equal("final", cut.FindAll("[data-testid=step-spent]")[1].TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=restart-count]"));
    }

    [Fact]
    public void Messages_are_text_not_markup()
    {
        var steps = ConditionTimeline.Build(new JobStatus { Conditions = [Condition("Failed", 0, message: "<img src=x onerror=alert(1)>")] }, []);

        var cut = Render<ConditionTimelineView>(ps => ps.Add(p => p.Steps, steps).Add(p => p.Now, TestJobs.Now));

        Assert.Empty(cut.FindAll("img"));
        Assert.Equal("<img src=x onerror=alert(1)>", cut.Find("[data-testid=step-message]").TextContent);
    }

    [Fact]
    public void No_conditions_yet()
    {
        var cut = Render<ConditionTimelineView>(ps => ps.Add(p => p.Steps, ConditionTimeline.Build(null, [])).Add(p => p.Now, TestJobs.Now));

        Assert.NotNull(cut.Find("[data-testid=timeline-empty]"));
    }
}
