using Dashboard.Api;
using Dashboard.Components;
using Dashboard.Hubs;
using Dashboard.Kubernetes;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MudBlazor.Services;

var builder = WebApplication.CreateBuilder(args);

// The root appsettings.json is copied next to the assembly; `dotnet run` uses the project folder as
// content root, so load it from there as the lowest-precedence file (environment variables still win).
builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource
{
    Path = Path.Combine(AppContext.BaseDirectory, "appsettings.json"),
    Optional = true,
    ReloadOnChange = false,
});

// --- Services -------------------------------------------------------------------------------
builder.Services.TryAddSingleton(TimeProvider.System);
builder.Services.AddJobQueries(builder.Configuration);
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();
builder.Services.AddJobHub();

var app = builder.Build();

// --- Pipeline -------------------------------------------------------------------------------
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
}

app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseAntiforgery();

app.MapStaticAssets();

// --- Endpoints ------------------------------------------------------------------------------
app.MapJobApi(); // /api/jobs..., /healthz, /readyz

app.MapJobHub(); // /hubs/jobs

app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

app.Run();
