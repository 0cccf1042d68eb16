using k8s;
using k8s.KubeConfigModels;

namespace Dashboard.Kubernetes.Connection;

/// <summary>
/// Builds the client configuration from a kubeconfig file and context, with one clear message for each way
/// that can fail. Client certificates, token files and exec credential plugins are KubernetesClient's own.
/// </summary>
public static class KubeConfigConfiguration
{
    /// <returns>The configuration and the name of the context it uses.</returns>
    /// <exception cref="KubernetesConnectionException">The file is missing or unreadable, or the context is unknown.</exception>
    public static (KubernetesClientConfiguration Config, string Context) Build(string path, string? context)
    {
        if (Directory.Exists(path))
        {
            throw new KubernetesConnectionException($"kubeconfig '{path}' is a folder, not a file.");
        }

        if (!File.Exists(path))
        {
            throw new KubernetesConnectionException(
                $"kubeconfig '{path}' does not exist (set Kubernetes:KubeConfigPath or KUBECONFIG, or Kubernetes:Mode=Emulator for demo data).");
        }

        K8SConfiguration file;
        try
        {
            // useRelativePaths: certificate and token files named in the kubeconfig are relative to it, as for kubectl.
            file = KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(path), useRelativePaths: true);
        }
        catch (Exception exception)
        {
            throw new KubernetesConnectionException($"kubeconfig '{path}' cannot be read: {KubernetesConnectionException.FirstLine(exception)}", exception);
        }

        if (file is null)
        {
            throw new KubernetesConnectionException($"kubeconfig '{path}' cannot be read: it is empty.");
        }

        var names = (file.Contexts ?? []).Select(c => c.Name).Where(n => !string.IsNullOrEmpty(n)).ToList();
        var available = names.Count == 0 ? "it defines no contexts" : "it has: " + string.Join(", ", names);
        var chosen = string.IsNullOrWhiteSpace(context) ? file.CurrentContext : context.Trim();
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
            return (KubernetesClientConfiguration.BuildConfigFromConfigObject(file, chosen), chosen);
        }
        catch (Exception exception)
        {
            throw new KubernetesConnectionException(
                $"kubeconfig '{path}', context '{chosen}' cannot be used: {KubernetesConnectionException.FirstLine(exception)}", exception);
        }
    }
}
