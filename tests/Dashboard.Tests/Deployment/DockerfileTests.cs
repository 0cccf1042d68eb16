using System.Text.RegularExpressions;

namespace Dashboard.Tests.Deployment;

/// <summary>No Docker engine runs here, so the Dockerfile is checked against the solution it builds.</summary>
public sealed partial class DockerfileTests
{
    private static readonly string[] Lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, "Dockerfile"))
        .Select(l => l.Trim())
        .Where(l => l.Length > 0 && !l.StartsWith('#'))
        .ToArray();

    [Fact]
    public void Builds_with_the_sdk_and_runs_on_the_aspnet_runtime_only()
    {
        var stages = Lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();

        Assert.Equal(2, stages.Count);
        Assert.Matches(@"^FROM mcr\.microsoft\.com/dotnet/sdk:10\.0 AS build$", stages[0]);
        Assert.Matches(@"^FROM mcr\.microsoft\.com/dotnet/aspnet:10\.0 AS runtime$", stages[1]);
        Assert.Contains("COPY --from=build /app ./", FinalStage());
    }

    [Fact]
    public void Every_copied_path_exists_in_the_repository()
    {
        foreach (var line in Lines.Where(l => l.StartsWith("COPY ", StringComparison.Ordinal) && !l.Contains("--from=")))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            foreach (var source in parts[1..^1])
            {
                var path = Path.Combine(RepoPaths.Root, source.TrimEnd('/'));
                Assert.True(File.Exists(path) || Directory.Exists(path), $"Dockerfile copies '{source}', which is not in the repository");
            }
        }
    }

    [Fact]
    public void Restore_layer_holds_every_project_the_app_references_before_the_sources()
    {
        var firstSourceCopy = Array.FindIndex(Lines, l => l.StartsWith("COPY src/ ", StringComparison.Ordinal));
        var restore = Array.FindIndex(Lines, l => l.StartsWith("RUN dotnet restore", StringComparison.Ordinal));
        Assert.InRange(restore, 0, firstSourceCopy);

        var copiedBeforeRestore = Lines[..restore].Where(l => l.StartsWith("COPY ", StringComparison.Ordinal)).ToList();
        foreach (var project in ProjectClosure("src/Dashboard/Dashboard.csproj"))
        {
            Assert.Contains(copiedBeforeRestore, l => l.StartsWith("COPY " + project + " ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Runs_as_non_root_on_port_8080_in_cluster_mode()
    {
        var final = FinalStage();

        Assert.Contains(final, l => l.StartsWith("USER ", StringComparison.Ordinal) && !l.Contains("root"));
        Assert.Contains("EXPOSE 8080", final);
        var env = string.Join(' ', final.Where(l => l.StartsWith("ENV", StringComparison.Ordinal) || l.Contains('=')));
        Assert.Contains("ASPNETCORE_URLS=http://+:8080", env);
        Assert.Contains("Kubernetes__Mode=InCluster", env);
        Assert.Contains("ENTRYPOINT [\"dotnet\", \"Dashboard.dll\"]", final);
    }

    private static List<string> FinalStage() =>
        Lines.SkipWhile(l => !l.Contains(" AS runtime", StringComparison.Ordinal)).ToList();

    /// <summary>The project and every project it references, as repository-relative paths.</summary>
    private static SortedSet<string> ProjectClosure(string project)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var current))
        {
            if (!found.Add(current))
            {
                continue;
            }

            var folder = Path.GetDirectoryName(current)!;
            foreach (Match match in ProjectReference().Matches(File.ReadAllText(Path.Combine(RepoPaths.Root, current))))
            {
                var referenced = Path.GetRelativePath(RepoPaths.Root, Path.GetFullPath(Path.Combine(RepoPaths.Root, folder, match.Groups[1].Value.Replace('\\', '/'))));
                pending.Push(referenced.Replace('\\', '/'));
            }
        }

        return found;
    }

    [GeneratedRegex("<ProjectReference Include=\"([^\"]+)\"")]
    private static partial Regex ProjectReference();
}
