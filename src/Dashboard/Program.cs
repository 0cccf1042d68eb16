using Dashboard.Api;
using Dashboard.Components;
using Dashboard.Hubs;
using Dashboard.Kubernetes;
using Dashboard.Observability;
using Dashboard.Security;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MudBlazor.Services;

var builder = WebApplication.CreateBuilder(args);

// The root appsettings.json is copied next to the assembly; `dotnet run` uses the project folder as
// content root, so load it from there as the lowest-precedence file (environment variables still win).
var assemblySettings = new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource
{
    Path = Path.Combine(AppContext.BaseDirectory, "appsettings.json"),
    Optional = true,
    ReloadOnChange = false,
};

// Without this the rooted path is looked up inside the content root's file provider, never found, and
// (being optional) silently skipped whenever the content root is not the assembly's folder.
assemblySettings.ResolveFileProvider();
builder.Configuration.Sources.Insert(0, assemblySettings);

// --- Services -------------------------------------------------------------------------------
builder.Services.TryAddSingleton(TimeProvider.System);
builder.Services.AddJobQueries(builder.Configuration);
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();
builder.Services.AddJobHub();
builder.AddDashboardSecurity(); // Auth:Mode, namespace access, loopback by default
builder.Services.AddDashboardObservability(); // /metrics, circuit counter

var app = builder.Build();

// First in the pipeline: security headers, who the user is, and the namespace gate.
app.UseDashboardSecurity();

// A bad kubeconfig or option: one clear line on stderr and a non-zero exit code, not a stack trace.
if (StartupCheck.FindProblem(app.Services) is { } problem)
{
    return StartupCheck.Fail(problem, Console.Error);
}

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

app.MapDashboardObservability(); // /metrics

app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

try
{
    await app.RunAsync();
}
catch (Exception exception) when (StartupCheck.Describe(exception) is { } failure)
{
    return StartupCheck.Fail(failure, Console.Error);
}

return 0;
