using Dashboard.Kubernetes.Query;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace Dashboard.Components.Layout;

public sealed partial class MainLayout : IDisposable
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

    private readonly CancellationTokenSource _disposed = new();
    private bool _isDarkMode;
    private IdentityLimit? _limit;

    /// <summary>What the identity may not do, shown next to the connection (e.g. "cannot list namespaces").</summary>
    private sealed record IdentityLimit(string Text, string Note);

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

        // Only once interactive: the namespace listing may wait on the API, which must not hold up prerendering.
        await LoadLimitsAsync();
    }

    private async Task LoadLimitsAsync()
    {
        NamespaceListing listing;
        try
        {
            listing = await Queries.GetNamespacesAsync(_disposed.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (!listing.FromApi)
        {
            var forbidden = listing.Note?.Contains("may not list", StringComparison.Ordinal) == true;
            _limit = new IdentityLimit(
                forbidden ? "cannot list namespaces" : "namespaces unavailable",
                listing.Note ?? "Namespaces could not be listed; showing the configured Kubernetes:Namespaces.");
            StateHasChanged();
        }
    }

    private string ConnectionTitle
    {
        get
        {
            var connection = Queries.Connection;
            return connection.IsEmulator
                ? $"Embedded Kubernetes API emulator at {connection.Server}: generated demo data, not a cluster"
                : $"Mode {connection.Mode}; API server {connection.Server}" + (connection.Context is { } context ? $"; kubeconfig context '{context}'" : "");
        }
    }

    private async Task ToggleThemeAsync()
    {
        _isDarkMode = !_isDarkMode;
        await JS.InvokeVoidAsync("dashboard.setTheme", _isDarkMode ? DarkTheme : "light");
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
