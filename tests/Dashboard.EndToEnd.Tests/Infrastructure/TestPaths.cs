using System.Reflection;

namespace Dashboard.EndToEnd.Tests.Infrastructure;

/// <summary>Where the repository is and where the browser tests leave their artifacts.</summary>
public static class TestPaths
{
    /// <summary>The repository root, stamped into the assembly by Directory.Build.props.</summary>
    public static string RepoRoot { get; } =
        typeof(TestPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepoRoot")?.Value
        ?? throw new InvalidOperationException("The test assembly carries no RepoRoot metadata (see Directory.Build.props).");

    /// <summary>
    /// $TEST_ARTIFACTS/screenshots when TEST_ARTIFACTS is set (CI collects that folder), else
    /// &lt;repo&gt;/test-artifacts/screenshots (ignored by git).
    /// </summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(
        Environment.GetEnvironmentVariable("TEST_ARTIFACTS") is { Length: > 0 } root ? root : Path.Combine(RepoRoot, "test-artifacts"),
        "screenshots");

    /// <summary>Screenshots taken when a browser test fails, to see what the page showed.</summary>
    public static string FailureScreenshotDirectory { get; } = Path.Combine(ScreenshotDirectory, "failures");
}
