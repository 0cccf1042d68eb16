using Dashboard.Kubernetes.Configuration;
using Dashboard.Kubernetes.Query;

namespace Dashboard.Kubernetes.Connection;

/// <summary>What Auto means on this machine: in-cluster, else a kubeconfig, else the embedded emulator.</summary>
public sealed class ConnectionModeResolver(Func<string, string?> environment, Func<string, bool> fileExists, string homeDirectory)
{
    public const string ServiceAccountTokenPath = KubernetesOptions.DefaultServiceAccountPath + "/token";

    public static ConnectionModeResolver System { get; } = new(
        Environment.GetEnvironmentVariable,
        File.Exists,
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    /// <param name="KubeConfigPath">One kubeconfig file, or several joined by the path separator as in KUBECONFIG.</param>
    public sealed record Resolution(ConnectionMode Mode, string? KubeConfigPath);

    /// <summary>The environment this resolver reads (the process's, or a test's).</summary>
    public string? GetEnvironmentVariable(string name) => environment(name);

    public Resolution Resolve(KubernetesOptions options)
    {
        switch (options.Mode)
        {
            case ConnectionMode.Emulator:
            case ConnectionMode.InCluster:
                return new Resolution(options.Mode, null);
            case ConnectionMode.KubeConfig:
                // Nothing found: name the file that was looked for, so the start-up error says which.
                return new Resolution(ConnectionMode.KubeConfig, FindKubeConfig(options) ?? ExpectedKubeConfigPath(options));
        }

        if (!string.IsNullOrEmpty(environment("KUBERNETES_SERVICE_HOST"))
            && fileExists(Path.Combine(options.ServiceAccountPath, InClusterConfiguration.TokenFileName)))
        {
            return new Resolution(ConnectionMode.InCluster, null);
        }

        // A kubeconfig path set on purpose is never skipped silently for demo data: if it is missing, start-up says so.
        if (!string.IsNullOrWhiteSpace(options.KubeConfigPath))
        {
            return new Resolution(ConnectionMode.KubeConfig, options.KubeConfigPath);
        }

        return FindKubeConfig(options) is { } path
            ? new Resolution(ConnectionMode.KubeConfig, path)
            : new Resolution(ConnectionMode.Emulator, null);
    }

    private string? FindKubeConfig(KubernetesOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.KubeConfigPath))
        {
            return fileExists(options.KubeConfigPath) ? options.KubeConfigPath : null;
        }

        // As kubectl: every existing file of the variable, merged (the first to set a value wins).
        var existing = KubeConfigVariable().Where(fileExists).ToArray();
        if (existing.Length > 0)
        {
            return string.Join(Path.PathSeparator, existing);
        }

        var home = DefaultKubeConfigPath();
        return fileExists(home) ? home : null;
    }

    private string ExpectedKubeConfigPath(KubernetesOptions options) =>
        !string.IsNullOrWhiteSpace(options.KubeConfigPath) ? options.KubeConfigPath
        : KubeConfigVariable().FirstOrDefault() ?? DefaultKubeConfigPath();

    private string[] KubeConfigVariable() =>
        environment("KUBECONFIG") is { Length: > 0 } list
            ? list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [];

    private string DefaultKubeConfigPath() => Path.Combine(homeDirectory, ".kube", "config");
}
