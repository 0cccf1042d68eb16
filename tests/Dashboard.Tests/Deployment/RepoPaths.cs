using System.Reflection;

namespace Dashboard.Tests.Deployment;

internal static class RepoPaths
{
    /// <summary>The repository root, recorded at build time (see Directory.Build.props).</summary>
    public static string Root { get; } =
        typeof(RepoPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value
        ?? throw new InvalidOperationException("RepoRoot metadata missing");
}
