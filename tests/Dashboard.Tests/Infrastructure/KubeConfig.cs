namespace Dashboard.Tests.Infrastructure;

/// <summary>The kubeconfigs the tests point the dashboard at.</summary>
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

    /// <summary>
    /// A kubeconfig with two contexts: "stale" (the current-context, a wrong token) and "emulator" (the right
    /// one, with <paramref name="token"/>), so only honouring Kubernetes:Context reaches the server.
    /// </summary>
    public static string TwoContexts(Uri server, string token) => $"""
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
