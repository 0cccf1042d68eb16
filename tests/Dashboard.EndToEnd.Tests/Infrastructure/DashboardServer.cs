using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dashboard.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The real dashboard (its own Program) on real Kestrel at 127.0.0.1:&lt;free port&gt;, in KubeConfig mode
/// against an emulator that the test owns, so the app never starts an embedded emulator of its own.
/// </summary>
public sealed class DashboardServer : IAsyncDisposable
{
    private readonly DashboardFactory _factory;
    private readonly KubeConfigFile _kubeConfig;

    private DashboardServer(DashboardFactory factory, KubeConfigFile kubeConfig, Uri baseAddress)
    {
        _factory = factory;
        _kubeConfig = kubeConfig;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public string Url(string pathAndQuery) => new Uri(BaseAddress, pathAndQuery).ToString();

    /// <param name="emulator">The Kubernetes API the app talks to.</param>
    /// <param name="settings">Extra configuration (e.g. shorter backoff), on top of the connection settings.</param>
    /// <param name="configure">Extra host configuration (e.g. services or a startup filter), after the settings.</param>
    public static DashboardServer Start(Uri emulator, IReadOnlyDictionary<string, string?>? settings = null, Action<IWebHostBuilder>? configure = null)
    {
        var kubeConfig = KubeConfigFile.For(emulator);
        var all = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Kubernetes:Mode"] = "KubeConfig",
            ["Kubernetes:KubeConfigPath"] = kubeConfig.Path,
            ["Kubernetes:Context"] = "emulator",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var factory = new DashboardFactory(all, configure);
        try
        {
            factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            factory.StartServer();
            var addresses = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
                ?? throw new InvalidOperationException("Kestrel reported no addresses.");
            var address = new Uri(addresses.First(a => a.StartsWith("http://127.0.0.1:", StringComparison.Ordinal)));
            return new DashboardServer(factory, kubeConfig, address);
        }
        catch
        {
            factory.Dispose();
            kubeConfig.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        _kubeConfig.Dispose();
    }

    private sealed class DashboardFactory(IReadOnlyDictionary<string, string?> settings, Action<IWebHostBuilder>? configure) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            // Warnings and errors only: the test log stays readable, and real trouble still shows.
            builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
            configure?.Invoke(builder);
        }
    }
}
