using Microsoft.Playwright;

namespace Dashboard.Benchmarks.Infrastructure;

/// <summary>The machine's Chromium (not a Playwright download) started headless by Playwright; closed (and its process gone) on dispose.</summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    public const string DefaultExecutablePath = "/usr/bin/chromium";

    // The same flags as the end-to-end tests: no sandbox (containers), no background traffic off the loopback.
    private static readonly string[] Arguments =
    [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ];

    private readonly IPlaywright _playwright;

    private HeadlessChromium(IPlaywright playwright, IBrowser browser, string executable)
    {
        _playwright = playwright;
        Browser = browser;
        Executable = executable;
    }

    public IBrowser Browser { get; }

    public string Executable { get; }

    public static async Task<HeadlessChromium> LaunchAsync()
    {
        var executable = Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } configured ? configured : DefaultExecutablePath;
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException(
                $"The browser suite needs Chromium at '{executable}': `apt-get update && apt-get install -y chromium`, or set CHROMIUM_PATH.");
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = executable,
                Headless = true,
                Args = Arguments,
                Timeout = 60_000,
            });
            return new HeadlessChromium(playwright, browser, executable);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A fresh context (own cookies, storage and cache) with the end-to-end tests' viewport.</summary>
    public Task<IBrowserContext> NewContextAsync(Uri baseAddress) =>
        Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
            BaseURL = baseAddress.ToString(),
            Locale = "en-US",
            TimezoneId = "UTC",
        });

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright.Dispose();
    }
}
