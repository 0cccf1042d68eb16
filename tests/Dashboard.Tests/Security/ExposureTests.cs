using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dashboard.Tests.Security;

/// <summary>Auth:Mode None binds to loopback unless told otherwise, and warns when it is exposed anyway.</summary>
public sealed class ExposureTests
{
    [Fact]
    public void Without_configured_urls_the_app_listens_on_loopback_port_5000()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        Assert.Null(builder.Configuration["urls"]);

        builder.AddDashboardSecurity();

        Assert.Equal("http://127.0.0.1:5000", builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey));
    }

    [Theory]
    [InlineData("--urls", "http://0.0.0.0:8080")]
    [InlineData("--http_ports", "8080")]
    [InlineData("--Kestrel:Endpoints:Http:Url", "http://0.0.0.0:8080")]
    public void Configured_addresses_are_left_alone(string key, string value)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [key, value] });

        builder.AddDashboardSecurity();

        Assert.NotEqual("http://127.0.0.1:5000", builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey));
        Assert.False(ExposureCheck.ListenAddressUnconfigured(builder.Configuration));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000", false)]
    [InlineData("http://[::1]:5000", false)]
    [InlineData("http://localhost:5000", false)]
    [InlineData("http://0.0.0.0:8080", true)]
    [InlineData("http://[::]:8080", true)]
    [InlineData("http://+:8080", true)]
    [InlineData("http://*:8080", true)]
    [InlineData("http://10.1.2.3:8080", true)]
    public void Only_non_loopback_addresses_count_as_exposed(string address, bool exposed) =>
        Assert.Equal(exposed, ExposureCheck.ExposedAddresses([address]).Count == 1);

    [Fact]
    public void Listening_beyond_loopback_without_authentication_logs_a_warning()
    {
        var logger = new CapturingLogger();
        var check = Check(["http://127.0.0.1:5000", "http://[::]:8080"], AuthMode.None, logger);

        Assert.True(check.Check());
        var warning = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("http://[::]:8080", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1:5000", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loopback_only_or_authenticated_modes_do_not_warn()
    {
        var logger = new CapturingLogger();

        Assert.False(Check(["http://127.0.0.1:5000"], AuthMode.None, logger).Check());
        Assert.False(Check(["http://0.0.0.0:8080"], AuthMode.ProxyHeaders, logger).Check());
        Assert.Empty(logger.Entries);
    }

    private static ExposureCheck Check(string[] addresses, AuthMode mode, CapturingLogger logger) =>
        new(new FakeServer(addresses), new FakeLifetime(), Options.Create(new AuthOptions { Mode = mode }), logger);

    private sealed class FakeServer : IServer
    {
        public FakeServer(IEnumerable<string> addresses)
        {
            var feature = new ServerAddressesFeature();
            foreach (var address in addresses)
            {
                feature.Addresses.Add(address);
            }

            Features.Set<IServerAddressesFeature>(feature);
        }

        public IFeatureCollection Features { get; } = new FeatureCollection();

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
            where TContext : notnull => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
        }
    }

    private sealed class ServerAddressesFeature : IServerAddressesFeature
    {
        public ICollection<string> Addresses { get; } = [];

        public bool PreferHostingUrls { get; set; }
    }

    private sealed class FakeLifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }
}

/// <summary>Keeps what was logged, for assertions.</summary>
internal sealed class CapturingLogger : ILogger<ExposureCheck>
{
    private readonly Lock _gate = new();
    private readonly List<(LogLevel Level, string Message)> _entries = [];

    public IReadOnlyList<(LogLevel Level, string Message)> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_gate)
        {
            _entries.Add((logLevel, formatter(state, exception)));
        }
    }
}
