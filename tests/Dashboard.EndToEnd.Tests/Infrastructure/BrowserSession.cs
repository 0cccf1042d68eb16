using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dashboard.EndToEnd.Tests.Infrastructure;

/// <summary>
/// One test's browser context (fresh cookies and storage) on the shared Chromium. Every page opened through it
/// reports console errors and uncaught page errors, which fail the test unless it declared them expected.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    public const float DefaultTimeoutMs = 15_000;

    private readonly IBrowserContext _context;
    private readonly DashboardServer _server;
    private readonly string _testName;
    private readonly Lock _gate = new();
    private readonly List<string> _errors = [];
    private readonly List<string> _allowed = [];

    private BrowserSession(IBrowserContext context, DashboardServer server, string testName, IPage page)
    {
        _context = context;
        _server = server;
        _testName = testName;
        Page = page;
    }

    /// <summary>The first page; open more with <see cref="NewPageAsync"/>.</summary>
    public IPage Page { get; }

    public DashboardServer Server => _server;

    public static async Task<BrowserSession> OpenAsync(IBrowser browser, DashboardServer server, string testName)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
            BaseURL = server.BaseAddress.ToString(),
            Locale = "en-US",
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout(DefaultTimeoutMs);
        var session = new BrowserSession(context, server, testName, await context.NewPageAsync());
        session.Watch(session.Page);
        return session;
    }

    public async Task<IPage> NewPageAsync()
    {
        var page = await _context.NewPageAsync();
        Watch(page);
        return page;
    }

    /// <summary>Loads a dashboard URL and waits until its Blazor circuit is interactive (the layout marks body).</summary>
    public Task GotoAsync(string pathAndQuery) => GotoAsync(Page, pathAndQuery);

    public static async Task GotoAsync(IPage page, string pathAndQuery)
    {
        var response = await page.GotoAsync(pathAndQuery);
        Assert.True(response is { Ok: true }, $"GET {pathAndQuery} answered {response?.Status}");
        await WaitForCircuitAsync(page);
    }

    public static Task WaitForCircuitAsync(IPage page) =>
        Expect(page.Locator("body")).ToHaveAttributeAsync("data-circuit", "on");

    /// <summary>A console error containing this text is expected by the test and does not fail it.</summary>
    public void AllowConsoleError(string containing)
    {
        lock (_gate)
        {
            _allowed.Add(containing);
        }
    }

    /// <summary>Runs a browser test: a screenshot on failure, and no unexpected console errors or Blazor error bar on success.</summary>
    public static async Task RunAsync(IBrowser browser, DashboardServer server, string testName, Func<BrowserSession, Task> test)
    {
        await using var session = await OpenAsync(browser, server, testName);
        try
        {
            await test(session);
            await Expect(session.Page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
        }
        catch
        {
            await session.CaptureFailureAsync();
            throw;
        }

        session.AssertNoUnexpectedErrors();
    }

    public void AssertNoUnexpectedErrors()
    {
        string[] unexpected;
        lock (_gate)
        {
            unexpected = [.. _errors.Where(e => !_allowed.Any(a => e.Contains(a, StringComparison.Ordinal)))];
        }

        Assert.True(unexpected.Length == 0, "The browser reported errors:\n" + string.Join("\n", unexpected));
    }

    public static async Task<string> SaveScreenshotAsync(IPage page, string directory, string fileName)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, fileName);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    private async Task CaptureFailureAsync()
    {
        try
        {
            var i = 0;
            foreach (var page in _context.Pages)
            {
                await SaveScreenshotAsync(page, TestPaths.FailureScreenshotDirectory, $"{_testName}-{i++}.png");
            }
        }
        catch (PlaywrightException)
        {
            // The page may be gone; the original failure matters more than its picture.
        }
    }

    private void Watch(IPage page)
    {
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                Record($"console error: {message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => Record("uncaught page error: " + error);
    }

    private void Record(string error)
    {
        lock (_gate)
        {
            _errors.Add(error);
        }
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
