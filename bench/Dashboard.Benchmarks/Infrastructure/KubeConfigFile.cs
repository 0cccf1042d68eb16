namespace Dashboard.Benchmarks.Infrastructure;

/// <summary>
/// A kubeconfig for the emulator and a kubectl cache dir of its own, in a temporary folder deleted on dispose.
/// The token is a placeholder: KubernetesClient refuses a user without credentials, the emulator (no --token) ignores it.
/// </summary>
internal sealed class KubeConfigFile : IDisposable
{
    private readonly string _directory;

    public KubeConfigFile(Uri server, string @namespace)
    {
        _directory = Directory.CreateTempSubdirectory("dashboard-bench-").FullName;
        Path = System.IO.Path.Combine(_directory, "kubeconfig");
        CacheDirectory = System.IO.Path.Combine(_directory, "kubectl-cache");
        File.WriteAllText(Path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: emulator
              cluster:
                server: {server.GetLeftPart(UriPartial.Authority)}
            contexts:
            - name: emulator
              context:
                cluster: emulator
                user: bench
                namespace: {@namespace}
            current-context: emulator
            users:
            - name: bench
              user:
                token: bench-no-auth
            """);
    }

    public string Path { get; }

    public string CacheDirectory { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
