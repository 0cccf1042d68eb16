namespace Dashboard.Tests.Hubs;

internal static class KubeConfig
{
    /// <summary>A kubeconfig with one context for a plain-http loopback server.</summary>
    public static string For(Uri server) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: emulator
          cluster:
            server: {server.ToString().TrimEnd('/')}
        contexts:
        - name: emulator
          context:
            cluster: emulator
            user: tester
        current-context: emulator
        users:
        - name: tester
          user:
            token: not-checked
        """;
}
