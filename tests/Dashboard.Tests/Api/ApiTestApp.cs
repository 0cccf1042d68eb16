using System.Diagnostics;
using Dashboard.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Dashboard.Tests.Api;

/// <summary>The real app (Program) with its configuration overridden: the embedded emulator, or a kubeconfig at a test server.</summary>
public sealed class ApiTestApp(IReadOnlyDictionary<string, string> settings) : WebApplicationFactory<Program>
{
    public static ApiTestApp WithEmbeddedEmulator() => new(new Dictionary<string, string>
    {
        ["Kubernetes:Mode"] = "Emulator",
        ["Kubernetes:Namespaces:0"] = "kube-test",
        ["Kubernetes:Namespaces:1"] = "team-a",
        ["Emulator:Namespaces:0"] = "team-a",
        ["Emulator:Jobs"] = "12",
        ["Emulator:EventsPerSecond"] = "0",
        ["Emulator:Seed"] = "3",
    });

    /// <summary>KubeConfig mode pointed at a loopback server through a kubeconfig written in the test's folder.</summary>
    internal static ApiTestApp WithKubeConfig(Uri server, TempFolder folder)
    {
        return new(new Dictionary<string, string>
        {
            ["Kubernetes:Mode"] = "KubeConfig",
            ["Kubernetes:KubeConfigPath"] = folder.WriteKubeConfig(server),
            ["Kubernetes:Namespaces:0"] = "team-a",
            ["Kubernetes:ErrorRetryInterval"] = "00:00:00.2",
        });
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }
}

public static class ApiWait
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string because, int seconds = 20)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (stopwatch.Elapsed > TimeSpan.FromSeconds(seconds))
            {
                throw new TimeoutException($"Timed out waiting until {because}; last: {value}");
            }

            await Task.Delay(50);
        }
    }
}
