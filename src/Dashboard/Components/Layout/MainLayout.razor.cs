using Dashboard.Kubernetes.Query;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace Dashboard.Components.Layout;

public sealed partial class MainLayout
{
    private const string DarkTheme = "dark";

    // Contrast-checked palettes: text on surfaces stays above WCAG AA in both themes.
    private readonly MudTheme _theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f5fae",
            AppbarBackground = "#16324f",
            AppbarText = "#ffffff",
            Background = "#f6f7f9",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#7fb2ff",
            AppbarBackground = "#10151c",
            Background = "#161b22",
            Surface = "#1e242c",
            TextPrimary = "#e6e9ee",
            TextSecondary = "#b8c0cc",
        },
    };

    private bool _isDarkMode;

    [Inject]
    public required IJobQueryService Queries { get; init; }

    [Inject]
    public required IJSRuntime JS { get; init; }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        // The first interactive render: tell tests the circuit is up, and restore the remembered theme.
        await JS.InvokeVoidAsync("dashboard.markCircuit");
        var remembered = await JS.InvokeAsync<string?>("dashboard.getTheme");
        if (remembered == DarkTheme && !_isDarkMode)
        {
            _isDarkMode = true;
            StateHasChanged();
        }
    }

    private async Task ToggleThemeAsync()
    {
        _isDarkMode = !_isDarkMode;
        await JS.InvokeVoidAsync("dashboard.setTheme", _isDarkMode ? DarkTheme : "light");
    }
}
