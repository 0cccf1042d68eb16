using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Dashboard.Security;

/// <summary>
/// Access control and hardening, wired into Program in two calls: <see cref="AddDashboardSecurity"/> before
/// <c>Build()</c>, <see cref="UseDashboardSecurity"/> right after it (before every other middleware).
/// </summary>
public static class DashboardSecurity
{
    private const string DataProtectionApplicationName = "pytorchjob-dashboard";

    /// <summary>Options, the namespace access check for the configured mode, and the loopback default address.</summary>
    public static WebApplicationBuilder AddDashboardSecurity(this WebApplicationBuilder builder)
    {
        if (ExposureCheck.ListenAddressUnconfigured(builder.Configuration))
        {
            builder.WebHost.UseUrls(ExposureCheck.DefaultUrl);
        }

        builder.Services.AddDashboardSecurityServices(builder.Configuration);
        return builder;
    }

    /// <summary>Security headers, then who the user is, then the gate; plus the sign-in page.</summary>
    public static WebApplication UseDashboardSecurity(this WebApplication app)
    {
        app.UseDashboardSecurityMiddleware();
        return app;
    }

    /// <summary>The services alone (tests that host Program through WebApplicationFactory use this and the startup filter).</summary>
    public static IServiceCollection AddDashboardSecurityServices(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(s => s.ServiceType == typeof(SecurityMarker)))
        {
            return services;
        }

        services.AddSingleton<SecurityMarker>();
        services.AddOptions<AuthOptions>()
            .Bind(configuration.GetSection(AuthOptions.SectionName))
            .Validate(o => Enum.IsDefined(o.Mode), "Auth:Mode must be None, ProxyHeaders or Token.")
            .Validate(o => o.Mode != AuthMode.ProxyHeaders || o.TrustedProxies.Count > 0, "Auth:Mode ProxyHeaders needs Auth:TrustedProxies (IPs or CIDR ranges of the proxy).")
            .Validate(o => TryParseNetworks(o.TrustedProxies), "Auth:TrustedProxies holds an entry that is not an IP address or CIDR range.")
            .Validate(o => o.AccessCacheDuration >= TimeSpan.Zero, "Auth:AccessCacheDuration must not be negative.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IAccessReviewer, SubjectAccessReviewer>();
        services.TryAddSingleton<ReviewedNamespaceAccess>();
        services.AddSingleton<INamespaceAccess>(sp => sp.GetRequiredService<IOptions<AuthOptions>>().Value.Mode == AuthMode.None
            ? new AllowAllNamespaceAccess()
            : sp.GetRequiredService<ReviewedNamespaceAccess>());
        services.AddHostedService<ExposureCheck>();

        // Token mode's session: a cookie holding the user's name and groups only (never the token). Registered only
        // in that mode: WebApplication adds authentication middleware by itself when a scheme exists.
        services.AddAntiforgery();
        if (configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>()?.Mode != AuthMode.Token)
        {
            return services;
        }

        // One application name and, when configured, one key folder: every replica (and the next pod) reads the
        // cookies the others wrote.
        var dataProtection = services.AddDataProtection().SetApplicationName(DataProtectionApplicationName);
        if (configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>()?.DataProtectionKeysPath is { Length: > 0 } keysPath)
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(keysPath));
        }

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, cookie =>
            {
                cookie.Cookie.Name = SignInEndpoints.CookieName;
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest; // Secure under HTTPS
                cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
                cookie.SlidingExpiration = true;
                cookie.LoginPath = AccessGate.SignInPath;
            });
        return services;
    }

    /// <summary>The middleware alone, in order.</summary>
    public static IApplicationBuilder UseDashboardSecurityMiddleware(this IApplicationBuilder app)
    {
        var mode = app.ApplicationServices.GetRequiredService<IOptions<AuthOptions>>().Value.Mode;
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                SecurityHeaders.Apply(context);
                return Task.CompletedTask;
            });
            return next(context);
        });

        if (mode == AuthMode.ProxyHeaders)
        {
            app.UseMiddleware<ProxyHeaderAuthentication>();
        }
        else if (mode == AuthMode.Token)
        {
            app.UseAuthentication();
        }

        // Not Map(): a branch would change PathBase, and with it the path of the cookies set here.
        app.Use((context, next) =>
            context.Request.Path.Equals(AccessGate.SignInPath, StringComparison.OrdinalIgnoreCase) ? SignInEndpoints.HandleSignInAsync(context)
            : context.Request.Path.Equals(SignInEndpoints.SignOutPath, StringComparison.OrdinalIgnoreCase) ? SignInEndpoints.HandleSignOutAsync(context)
            : next(context));

        if (mode != AuthMode.None)
        {
            app.UseMiddleware<AccessGate>();
        }

        return app;
    }

    private static bool TryParseNetworks(IEnumerable<string> entries)
    {
        try
        {
            ProxyHeaderAuthentication.ParseNetworks(entries);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private sealed class SecurityMarker;
}

/// <summary>
/// For hosting Program in tests before Program calls <see cref="DashboardSecurity.UseDashboardSecurity"/>: the
/// middleware in front of the app's pipeline and the sign-in page endpoint.
/// </summary>
public sealed class DashboardSecurityStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseDashboardSecurityMiddleware();
        next(app);
    };
}
