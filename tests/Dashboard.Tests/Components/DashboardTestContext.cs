using Bunit;
using Dashboard.Kubernetes.Query;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace Dashboard.Tests.Components;

/// <summary>
/// A bUnit context wired like the app: MudBlazor services, loose JS interop, the fake query service and a
/// manual clock. MudBlazor's services dispose asynchronously only, so disposal happens in DisposeAsync.
/// </summary>
public abstract class DashboardTestContext : BunitContext, IAsyncLifetime
{
    // Generous: live updates cross a background loop and the dispatcher; CI machines can be slow.
    protected static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(10);

    protected DashboardTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton<IJobQueryService>(Queries);
        Services.AddSingleton<TimeProvider>(Clock);

        // As in the app: interactive server rendering (tests of the prerendered HTML set it otherwise).
        // Last: it creates the renderer, after which no service can be added.
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    protected FakeJobQueryService Queries { get; } = new();

    protected ManualTimeProvider Clock { get; } = new(TestJobs.Now);

    protected NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    public Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await base.DisposeAsync();
}
