using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Dashboard.Tests.Security;

/// <summary>Auth options are checked at start, and trusted proxies parse as IPs or CIDR ranges.</summary>
public sealed class AuthOptionsTests
{
    [Theory]
    [InlineData("ProxyHeaders", null, "Auth:Mode ProxyHeaders needs Auth:TrustedProxies")]
    [InlineData("ProxyHeaders", "not-an-address", "Auth:TrustedProxies holds an entry that is not an IP address")]
    [InlineData("7", null, "Auth:Mode must be None, ProxyHeaders or Token.")] // a number binds to the enum; only validation refuses it
    [InlineData("-1", null, "Auth:Mode must be None, ProxyHeaders or Token.")]
    public void Invalid_settings_fail_validation_with_a_message_naming_the_key(string mode, string? proxy, string expected)
    {
        var settings = new Dictionary<string, string?> { ["Auth:Mode"] = mode };
        if (proxy is not null)
        {
            settings["Auth:TrustedProxies:0"] = proxy;
        }

        var error = Assert.Throws<OptionsValidationException>(() => Resolve(settings));

        Assert.Contains(expected, Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void A_mode_name_the_enum_lacks_fails_binding_with_a_message_naming_the_key()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Resolve(new() { ["Auth:Mode"] = "Sometimes" }));

        Assert.Contains("'Auth:Mode'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void None_is_the_default_and_allows_every_namespace()
    {
        using var services = Services(new Dictionary<string, string?>());

        Assert.Equal(AuthMode.None, services.GetRequiredService<IOptions<AuthOptions>>().Value.Mode);
        Assert.IsType<AllowAllNamespaceAccess>(services.GetRequiredService<INamespaceAccess>());
    }

    [Theory]
    [InlineData("10.0.0.5", "10.0.0.5", true)]
    [InlineData("10.0.0.5", "10.0.0.6", false)]
    [InlineData("10.0.0.0/8", "10.200.1.1", true)]
    [InlineData("10.0.0.0/8", "11.0.0.1", false)]
    [InlineData("127.0.0.1", "::ffff:127.0.0.1", true)] // IPv4 mapped into IPv6, as Kestrel may report it
    [InlineData("fd00::/8", "fd12::1", true)]
    public void Trusted_proxies_match_single_addresses_and_ranges(string trusted, string remote, bool expected)
    {
        var middleware = new ProxyHeaderAuthentication(_ => Task.CompletedTask, Options.Create(new AuthOptions { TrustedProxies = [trusted] }));

        Assert.Equal(expected, middleware.IsTrusted(IPAddress.Parse(remote)));
    }

    private static AuthOptions Resolve(Dictionary<string, string?> settings)
    {
        using var services = Services(settings);
        return services.GetRequiredService<IOptions<AuthOptions>>().Value;
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddDashboardSecurityServices(configuration);
        return services.BuildServiceProvider();
    }
}
