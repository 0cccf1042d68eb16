using Dashboard.Tests.Infrastructure;

namespace Dashboard.Tests.Operations;

/// <summary>
/// A bad connection setting stops start-up with one line on stderr naming the problem, a non-zero exit code
/// and no stack trace: the built Dashboard.dll run as its users run it.
/// </summary>
public sealed class StartupFailureTests : IDisposable
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);
    private readonly TempFolder _folder = new("dashboard-ops-");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_missing_kubeconfig_is_one_line()
    {
        var missing = _folder.File("missing-config");

        var stderr = await FailToStartAsync(new() { ["Kubernetes__Mode"] = "KubeConfig", ["Kubernetes__KubeConfigPath"] = missing });

        Assert.Contains(missing, stderr, StringComparison.Ordinal);
        Assert.Contains("does not exist", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_kubeconfig_from_the_KUBECONFIG_variable_is_one_line()
    {
        var missing = _folder.File("from-variable");

        var stderr = await FailToStartAsync(new() { ["Kubernetes__Mode"] = "KubeConfig", ["KUBECONFIG"] = missing });

        Assert.Contains($"kubeconfig '{missing}' does not exist", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_context_is_one_line_naming_it()
    {
        var path = _folder.Write("config", """
            apiVersion: v1
            kind: Config
            clusters: [{name: c, cluster: {server: "http://127.0.0.1:9"}}]
            contexts: [{name: dev, context: {cluster: c, user: u}}]
            users: [{name: u, user: {token: t}}]
            current-context: dev
            """);

        var stderr = await FailToStartAsync(new() { ["Kubernetes__Mode"] = "KubeConfig", ["Kubernetes__KubeConfigPath"] = path, ["Kubernetes__Context"] = "prod" });

        Assert.Contains($"Kubernetes:Context 'prod' is not a context in kubeconfig '{path}' (it has: dev)", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreadable_kubeconfig_is_one_line()
    {
        var path = _folder.Write("config", "{{{ this is: not: yaml [");

        var stderr = await FailToStartAsync(new() { ["Kubernetes__KubeConfigPath"] = path }); // Auto mode: a configured file is used or refused, never skipped

        Assert.Contains($"kubeconfig '{path}' cannot be read", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InCluster_mode_outside_a_cluster_is_one_line()
    {
        var stderr = await FailToStartAsync(new() { ["Kubernetes__Mode"] = "InCluster", ["Kubernetes__ServiceAccountPath"] = _folder.Path });

        Assert.Contains("KUBERNETES_SERVICE_HOST", stderr, StringComparison.Ordinal);
    }

    /// <summary>Runs the app, expects it to end by itself, checks the shape of the failure and returns the stderr line.</summary>
    private static async Task<string> FailToStartAsync(Dictionary<string, string?> environment)
    {
        await using var dashboard = DashboardProcess.Start(DashboardProcess.BuiltAssembly, environment);

        var exitCode = await dashboard.WaitForExitAsync(ExitTimeout);

        var stderr = dashboard.StandardError;
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(exitCode != 0, $"exit code 0; stdout:\n{dashboard.StandardOutput}");
        var line = Assert.Single(lines);
        Assert.StartsWith("Dashboard cannot start: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr + dashboard.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", stderr + dashboard.StandardOutput, StringComparison.Ordinal);
        return line;
    }
}
