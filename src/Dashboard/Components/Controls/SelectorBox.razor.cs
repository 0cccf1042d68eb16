using Dashboard.Model.Selectors;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace Dashboard.Components.Controls;

/// <summary>
/// The label selector as typed: parsed on every keystroke (the error shows inline, nothing else changes),
/// applied on Enter or after a pause when it parses. The grid behind it keeps its rows meanwhile.
/// </summary>
public sealed partial class SelectorBox
{
    public static readonly TimeSpan DebounceDelay = TimeSpan.FromMilliseconds(800);

    private string _text = "";
    private string? _lastValue;
    private string? _error;
    private bool _pending;
    private ITimer? _debounce;

    /// <summary>The applied selector (from the URL).</summary>
    [Parameter]
    public string? Value { get; set; }

    /// <summary>Raised with a selector that parses (trimmed; empty for everything).</summary>
    [Parameter]
    public EventCallback<string> ValueChanged { get; set; }

    /// <summary>An error the query service gave for the applied selector.</summary>
    [Parameter]
    public string? ServerError { get; set; }

    [Inject]
    public required TimeProvider TimeProvider { get; init; }

    protected override void OnParametersSet()
    {
        // Only an outside change (URL, back button, a clicked label) replaces what is being typed.
        if (Value != _lastValue)
        {
            _lastValue = Value;
            _text = Value ?? "";
            _error = null;
            _pending = false;
            CancelDebounce();
        }
    }

    private void OnInput(ChangeEventArgs e)
    {
        _text = e.Value as string ?? "";
        CancelDebounce();
        if (LabelSelector.TryParse(_text, out _, out var error))
        {
            _error = null;
            _pending = _text.Trim() != (Value ?? "").Trim();
            if (_pending)
            {
                _debounce = TimeProvider.CreateTimer(_ => _ = InvokeAsync(ApplyFromTimerAsync), null, DebounceDelay, Timeout.InfiniteTimeSpan);
            }
        }
        else
        {
            _error = error ?? "Invalid selector";
            _pending = false;
        }
    }

    private async Task OnKeyDownAsync(KeyboardEventArgs e)
    {
        if (e.Key == "Enter")
        {
            CancelDebounce();
            await ApplyAsync();
        }
        else if (e.Key == "Escape")
        {
            CancelDebounce();
            _text = Value ?? "";
            _error = null;
            _pending = false;
        }
    }

    private async Task ApplyAsync()
    {
        if (!LabelSelector.TryParse(_text, out _, out var error))
        {
            _error = error ?? "Invalid selector";
            StateHasChanged();
            return;
        }

        var applied = _text.Trim();
        _pending = false;
        _error = null;
        if (applied != (Value ?? ""))
        {
            await ValueChanged.InvokeAsync(applied);
        }

        StateHasChanged();
    }

    // A timer callback has no caller to throw to: hand failures to the renderer instead of losing them.
    private async Task ApplyFromTimerAsync()
    {
        try
        {
            await ApplyAsync();
        }
        catch (Exception ex)
        {
            await DispatchExceptionAsync(ex);
        }
    }

    private void CancelDebounce()
    {
        _debounce?.Dispose();
        _debounce = null;
    }

    public void Dispose() => CancelDebounce();
}
