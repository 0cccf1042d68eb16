namespace Dashboard.Kubernetes.Tests.Connection;

/// <summary>A folder of the test's own, deleted at the end.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "dashboard-ops-" + Guid.NewGuid().ToString("N"));

    public string Write(string name, string content)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, content);
        return file;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }

    /// <summary>
    /// A kubeconfig with two contexts: "stale" (the current-context, a wrong token) and "emulator" (the right
    /// one), so only honouring Kubernetes:Context reaches the server.
    /// </summary>
    public static string TwoContextKubeConfig(Uri server, string token) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: emulator
          cluster:
            server: {server.ToString().TrimEnd('/')}
        contexts:
        - name: stale
          context:
            cluster: emulator
            user: stale-user
        - name: emulator
          context:
            cluster: emulator
            user: tester
        current-context: stale
        users:
        - name: stale-user
          user:
            token: wrong-token
        - name: tester
          user:
            token: {token}
        """;
}
