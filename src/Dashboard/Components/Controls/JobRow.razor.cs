using Dashboard.Kubernetes.Query;
using Dashboard.Model;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace Dashboard.Components.Controls;

/// <summary>
/// One grid row. Renders only when what it shows changed: a new <see cref="JobSummary"/> reference (summaries
/// are immutable, so a new reference is an update), a different age/duration text, or selection. A batch that
/// touches one job therefore re-renders one row, whatever the grid size.
/// </summary>
public sealed partial class JobRow
{
    private JobSummary? _renderedJob;
    private bool _renderedShowNamespace;
    private bool _renderedSelected;
    private int _renderedRowIndex;
    private string _age = "";
    private string _duration = "";
    private bool _changed = true;

    [Parameter, EditorRequired]
    public required JobSummary Job { get; set; }

    /// <summary>The page's clock tick.</summary>
    [Parameter]
    public DateTimeOffset Now { get; set; }

    /// <summary>The row's aria-rowindex: its place among all rows, the header being 1 (the grid is virtualized).</summary>
    [Parameter]
    public int RowIndex { get; set; }

    [Parameter]
    public bool ShowNamespace { get; set; }

    [Parameter]
    public bool Selected { get; set; }

    [Parameter]
    public EventCallback<JobSummary> OnOpen { get; set; }

    [Parameter]
    public EventCallback<JobSummary> OnSelect { get; set; }

    [Parameter]
    public EventCallback<KeyValuePair<string, string>> OnLabel { get; set; }

    /// <summary>How many times this row has rendered (tests check that updates stay local).</summary>
    public int RenderCount { get; private set; }

    protected override void OnParametersSet()
    {
        var age = TimeFormat.Age(Job.CreatedAt, Now);
        var duration = TimeFormat.Duration(Job.Duration(Now));
        _changed = !ReferenceEquals(Job, _renderedJob)
            || age != _age
            || duration != _duration
            || ShowNamespace != _renderedShowNamespace
            || Selected != _renderedSelected
            || RowIndex != _renderedRowIndex;
        _age = age;
        _duration = duration;
        _renderedJob = Job;
        _renderedShowNamespace = ShowNamespace;
        _renderedSelected = Selected;
        _renderedRowIndex = RowIndex;
    }

    protected override bool ShouldRender() => _changed;

    protected override void OnAfterRender(bool firstRender)
    {
        RenderCount++;
        _changed = false;
    }

    private Task OnKeyDownAsync(KeyboardEventArgs e) => e.Key switch
    {
        "Enter" => OnOpen.InvokeAsync(Job),
        " " => OnSelect.InvokeAsync(Job),
        _ => Task.CompletedTask,
    };
}
