using k8s;
using k8s.KubeConfigModels;

namespace Dashboard.Kubernetes.Connection;

/// <summary>
/// Builds the client configuration from a kubeconfig file and context, with one clear message for each way
/// that can fail. Client certificates, token files and exec credential plugins are KubernetesClient's own.
/// </summary>
public static class KubeConfigConfiguration
{
    /// <param name="path">One kubeconfig file, or several joined by the path separator (KUBECONFIG), merged as kubectl does.</param>
    /// <returns>The configuration and the name of the context it uses.</returns>
    /// <exception cref="KubernetesConnectionException">A file is missing or unreadable, or the context is unknown.</exception>
    public static (KubernetesClientConfiguration Config, string Context) Build(string path, string? context)
    {
        var files = path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 0 } list
            ? list
            : [path];
        foreach (var file in files)
        {
            if (Directory.Exists(file))
            {
                throw new KubernetesConnectionException($"kubeconfig '{file}' is a folder, not a file.");
            }

            if (!File.Exists(file))
            {
                throw new KubernetesConnectionException(
                    $"kubeconfig '{file}' does not exist (set Kubernetes:KubeConfigPath or KUBECONFIG, or Kubernetes:Mode=Emulator for demo data).");
            }
        }

        K8SConfiguration? merged;
        try
        {
            // useRelativePaths: certificate and key files named in a kubeconfig are relative to it, as for kubectl.
            merged = Merge([.. files.Select(f => KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(f), useRelativePaths: true))]);
        }
        catch (Exception exception)
        {
            throw new KubernetesConnectionException($"kubeconfig '{path}' cannot be read: {KubernetesConnectionException.FirstLine(exception)}", exception);
        }

        if (merged is null)
        {
            throw new KubernetesConnectionException($"kubeconfig '{path}' cannot be read: it is empty.");
        }

        var names = (merged.Contexts ?? []).Select(c => c.Name).Where(n => !string.IsNullOrEmpty(n)).ToList();
        var available = names.Count == 0 ? "it defines no contexts" : "it has: " + string.Join(", ", names);
        var chosen = string.IsNullOrWhiteSpace(context) ? merged.CurrentContext : context.Trim();
        if (string.IsNullOrEmpty(chosen))
        {
            throw new KubernetesConnectionException($"kubeconfig '{path}' has no current-context; set Kubernetes:Context ({available}).");
        }

        if (!names.Contains(chosen, StringComparer.Ordinal))
        {
            var setting = string.IsNullOrWhiteSpace(context) ? "current-context" : "Kubernetes:Context";
            throw new KubernetesConnectionException($"{setting} '{chosen}' is not a context in kubeconfig '{path}' ({available}).");
        }

        try
        {
            AllowAnonymousUser(merged, chosen);
            return (KubernetesClientConfiguration.BuildConfigFromConfigObject(merged, chosen), chosen);
        }
        catch (Exception exception)
        {
            throw new KubernetesConnectionException(
                $"kubeconfig '{path}', context '{chosen}' cannot be used: {KubernetesConnectionException.FirstLine(exception)}", exception);
        }
    }

    /// <summary>
    /// Several kubeconfigs as kubectl merges them: the first to name a cluster, context or user, or to set
    /// current-context, wins. Relative file paths are made absolute against their own file first, since the
    /// merged configuration keeps only one file name.
    /// </summary>
    private static K8SConfiguration? Merge(IReadOnlyList<K8SConfiguration?> files)
    {
        var loaded = files.OfType<K8SConfiguration>().ToList();
        if (loaded.Count <= 1)
        {
            return loaded.FirstOrDefault();
        }

        foreach (var file in loaded)
        {
            var folder = Path.GetDirectoryName(file.FileName) ?? "";
            foreach (var cluster in file.Clusters ?? [])
            {
                if (cluster.ClusterEndpoint is { } endpoint)
                {
                    endpoint.CertificateAuthority = Absolute(folder, endpoint.CertificateAuthority);
                }
            }

            foreach (var user in file.Users ?? [])
            {
                if (user.UserCredentials is { } credentials)
                {
                    credentials.ClientCertificate = Absolute(folder, credentials.ClientCertificate);
                    credentials.ClientKey = Absolute(folder, credentials.ClientKey);
                }
            }
        }

        var merged = loaded[0];
        merged.CurrentContext = loaded.Select(f => f.CurrentContext).FirstOrDefault(c => !string.IsNullOrEmpty(c));
        merged.Clusters = [.. loaded.SelectMany(f => f.Clusters ?? []).DistinctBy(c => c.Name)];
        merged.Contexts = [.. loaded.SelectMany(f => f.Contexts ?? []).DistinctBy(c => c.Name)];
        merged.Users = [.. loaded.SelectMany(f => f.Users ?? []).DistinctBy(u => u.Name)];
        return merged;
    }

    /// <summary>
    /// kubectl sends no credentials when the context's user has none (or is not defined); KubernetesClient refuses
    /// such a user. Dropping the reference makes the client anonymous too, as kubectl would be.
    /// </summary>
    private static void AllowAnonymousUser(K8SConfiguration config, string contextName)
    {
        var context = config.Contexts?.FirstOrDefault(c => c.Name == contextName)?.ContextDetails;
        if (context is null || string.IsNullOrWhiteSpace(context.User))
        {
            return;
        }

        var user = config.Users?.FirstOrDefault(u => string.Equals(u.Name, context.User, StringComparison.OrdinalIgnoreCase));
        if (user?.UserCredentials is not { } credentials || !HasCredentials(credentials))
        {
            context.User = null;
        }
    }

    private static bool HasCredentials(UserCredentials credentials) =>
        !string.IsNullOrWhiteSpace(credentials.Token)
        || !string.IsNullOrWhiteSpace(credentials.UserName)
        || !string.IsNullOrWhiteSpace(credentials.ClientCertificateData)
        || !string.IsNullOrWhiteSpace(credentials.ClientCertificate)
        || credentials.AuthProvider is not null
        || credentials.ExternalExecution is not null;

    private static string? Absolute(string folder, string? path) =>
        string.IsNullOrEmpty(path) || Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(folder, path));
}
