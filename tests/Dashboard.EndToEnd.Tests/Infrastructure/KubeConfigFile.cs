namespace Dashboard.EndToEnd.Tests.Infrastructure;

/// <summary>A kubeconfig whose only cluster is a loopback emulator, so the app runs in KubeConfig mode against it.</summary>
public sealed class KubeConfigFile : IDisposable
{
    private KubeConfigFile(string path) => Path = path;

    public string Path { get; }

    public static KubeConfigFile For(Uri server)
    {
        if (!server.IsLoopback)
        {
            throw new ArgumentException($"End-to-end tests only talk to loopback servers, not {server}.", nameof(server));
        }

        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"e2e-kubeconfig-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, $"""
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
                user: e2e
                namespace: kube-test
            current-context: emulator
            users:
            - name: e2e
              user:
                token: e2e-not-checked
            """);
        return new KubeConfigFile(path);
    }

    public void Dispose() => File.Delete(Path);
}
