using Dashboard.Emulator;
using Microsoft.Playwright;

namespace Dashboard.EndToEnd.Tests.Infrastructure;

[CollectionDefinition(Name)]
public sealed class EndToEndCollection : ICollectionFixture<EndToEndFixture>
{
    public const string Name = "End-to-end";
}

/// <summary>
/// Shared by every browser test: one Chromium, one emulator (small, quiet scenario: tests make the changes)
/// and the dashboard pointed at it. Tests that disturb the API (stopping it) start their own pair.
/// </summary>
public sealed class EndToEndFixture : IAsyncLifetime
{
    public static readonly string[] Namespaces = ["kube-test", "team-a"];

    private ChromiumBrowser? _chromium;
    private EmulatorHost? _emulator;
    private DashboardServer? _server;
    private EmulatorApi? _api;

    public IBrowser Browser => (_chromium ?? throw NotStarted()).Browser;

    public EmulatorHost Emulator => _emulator ?? throw NotStarted();

    public DashboardServer Server => _server ?? throw NotStarted();

    public EmulatorApi Api => _api ?? throw NotStarted();

    /// <summary>The scenario the shared emulator runs; no background changes, so every change is the test's.</summary>
    public static EmulatorOptions QuietScenario(int port = 0) => new()
    {
        Port = port,
        Namespaces = Namespaces,
        Jobs = 20,
        Seed = 7,
        EventsPerSecond = 0,
        IncludeExampleJob = true,
    };

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(BrowserSession.DefaultTimeoutMs);

        // Browser and servers start together: Chromium's launch is the slow part.
        var chromium = ChromiumBrowser.LaunchAsync();
        try
        {
            _emulator = await EmulatorHost.StartAsync(QuietScenario());
            _api = new EmulatorApi(_emulator.BaseAddress);
            _server = DashboardServer.Start(_emulator.BaseAddress);
            _chromium = await chromium; // a missing Chromium fails every test here with its message
        }
        catch
        {
            // Nothing half-started may outlive the failure, a launched browser included.
            if (_chromium is null && await chromium.ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : null, TaskScheduler.Default) is { } launched)
            {
                _chromium = launched;
            }

            await DisposeAsync();
            throw;
        }
    }

    public Task RunInBrowserAsync(string testName, Func<BrowserSession, Task> test) =>
        BrowserSession.RunAsync(Browser, Server, testName, test);

    // Safe to call twice (a failed start disposes, then xunit may too).
    public async Task DisposeAsync()
    {
        if (_chromium is { } chromium)
        {
            _chromium = null;
            await chromium.DisposeAsync();
        }

        if (_server is { } server)
        {
            _server = null;
            await server.DisposeAsync();
        }

        _api?.Dispose();
        _api = null;
        if (_emulator is { } emulator)
        {
            _emulator = null;
            await emulator.DisposeAsync();
        }
    }

    private static InvalidOperationException NotStarted() => new("The end-to-end fixture has not started.");
}
