using Dashboard.Components;
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

builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
}

app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseAntiforgery();

app.MapStaticAssets();
app.MapGet("/healthz", () => Results.Text("ok"));
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

app.Run();
