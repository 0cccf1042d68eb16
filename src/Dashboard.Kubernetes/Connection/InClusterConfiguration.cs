using System.Security.Cryptography.X509Certificates;
using k8s;
using k8s.Authentication;

namespace Dashboard.Kubernetes.Connection;

/// <summary>
/// What KubernetesClient's InClusterConfig does (https to KUBERNETES_SERVICE_HOST:PORT, the mounted token
/// re-read as it rotates, the mounted CA), but from a configurable folder, with one clear message per failure.
/// </summary>
public static class InClusterConfiguration
{
    public const string TokenFileName = "token";
    public const string CaFileName = "ca.crt";
    public const string NamespaceFileName = "namespace";

    /// <exception cref="KubernetesConnectionException">The environment variables or the token are missing.</exception>
    public static KubernetesClientConfiguration Build(string serviceAccountPath, Func<string, string?> environment)
    {
        var host = environment("KUBERNETES_SERVICE_HOST");
        var portText = environment("KUBERNETES_SERVICE_PORT");
        if (string.IsNullOrWhiteSpace(host) || string.IsNullOrWhiteSpace(portText))
        {
            throw new KubernetesConnectionException(
                "InCluster mode needs KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT, which Kubernetes sets in a pod; outside a cluster use Kubernetes:Mode=KubeConfig or Emulator.");
        }

        if (!int.TryParse(portText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new KubernetesConnectionException($"KUBERNETES_SERVICE_PORT '{portText}' is not a port number.");
        }

        var tokenPath = Path.Combine(serviceAccountPath, TokenFileName);
        if (!File.Exists(tokenPath))
        {
            throw new KubernetesConnectionException(
                $"InCluster mode: no service-account token at '{tokenPath}' (is automountServiceAccountToken false? Kubernetes:ServiceAccountPath sets the folder).");
        }

        var config = new KubernetesClientConfiguration
        {
            Host = new UriBuilder(Uri.UriSchemeHttps, host.Trim(), port).Uri.ToString().TrimEnd('/'),
            // Re-reads the file before it would expire: projected service-account tokens rotate.
            TokenProvider = new TokenFileAuth(tokenPath),
        };

        var caPath = Path.Combine(serviceAccountPath, CaFileName);
        if (File.Exists(caPath))
        {
            try
            {
                var authorities = new X509Certificate2Collection();
                authorities.ImportFromPemFile(caPath);
                config.SslCaCerts = authorities;
            }
            catch (Exception exception)
            {
                throw new KubernetesConnectionException($"InCluster mode: the CA certificate '{caPath}' cannot be read: {KubernetesConnectionException.FirstLine(exception)}", exception);
            }
        }

        var namespacePath = Path.Combine(serviceAccountPath, NamespaceFileName);
        if (File.Exists(namespacePath))
        {
            config.Namespace = File.ReadAllText(namespacePath).Trim();
        }

        return config;
    }
}
