using System.Text.Encodings.Web;

namespace Dashboard.Security;

/// <summary>
/// When sign-in is required: anonymous requests to the JSON API, the hub and the circuit get 401, anonymous page
/// requests go to the sign-in page; a page URL naming a namespace the user may not read gets a 403 page.
/// Static assets and health endpoints stay open (they carry no cluster data).
/// </summary>
public sealed class AccessGate(RequestDelegate next, INamespaceAccess access)
{
    public const string SignInPath = "/signin";

    private static readonly string[] s_openPrefixes = ["/_framework/", "/_content/", "/healthz", "/readyz", "/metrics", SignInPath, SignInEndpoints.SignOutPath];
    private static readonly string[] s_dataPrefixes = ["/api", "/hubs", "/_blazor"];
    private static readonly HashSet<string> s_staticExtensions = new(StringComparer.OrdinalIgnoreCase) { ".css", ".js", ".mjs", ".png", ".ico", ".svg", ".woff", ".woff2", ".map" };

    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Items.TryAdd(typeof(AccessGate), true))
        {
            await next(context);
            return;
        }

        var path = context.Request.Path.Value ?? "/";
        if (s_openPrefixes.Any(p => path.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
        {
            await next(context);
            return;
        }

        var isData = s_dataPrefixes.Any(p => path.Equals(p, StringComparison.OrdinalIgnoreCase) || path.StartsWith(p + "/", StringComparison.OrdinalIgnoreCase));
        if (context.User.Identity is not { IsAuthenticated: true })
        {
            if (isData)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            if (IsStaticAsset(path))
            {
                await next(context);
                return;
            }

            context.Response.Redirect(SignInPath + "?returnUrl=" + Uri.EscapeDataString(context.Request.Path + context.Request.QueryString));
            return;
        }

        if (!isData && PageNamespace(context.Request) is { } @namespace && !await access.CanReadAsync(context.User, @namespace, context.RequestAborted))
        {
            await WriteForbiddenAsync(context, @namespace);
            return;
        }

        await next(context);
    }

    /// <summary>The namespace a page URL names: <c>/jobs?namespace=NS</c>, <c>/timeline?namespace=NS</c>, <c>/jobs/NS/NAME</c>.</summary>
    public static string? PageNamespace(HttpRequest request)
    {
        var segments = (request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0)
        {
            return null;
        }

        var page = segments[0].ToLowerInvariant();
        if (page is "jobs" && segments.Length >= 3)
        {
            return Uri.UnescapeDataString(segments[1]);
        }

        if (page is "jobs" or "timeline" && request.Query["namespace"].ToString() is { Length: > 0 } ns && !string.IsNullOrWhiteSpace(ns))
        {
            return ns.Trim();
        }

        return null;
    }

    private static bool IsStaticAsset(string path) =>
        !path.StartsWith("/jobs", StringComparison.OrdinalIgnoreCase) && !path.StartsWith("/timeline", StringComparison.OrdinalIgnoreCase)
        && s_staticExtensions.Contains(Path.GetExtension(path));

    private static Task WriteForbiddenAsync(HttpContext context, string @namespace)
    {
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        context.Response.ContentType = "text/html; charset=utf-8";
        var ns = HtmlEncoder.Default.Encode(@namespace);
        var user = HtmlEncoder.Default.Encode(DashboardClaims.UserName(context.User) ?? "");
        return context.Response.WriteAsync($$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8" /><title>403 Forbidden</title><link rel="stylesheet" href="/app.css" /><link rel="icon" type="image/png" href="/favicon.png" /></head>
            <body>
            <h1 data-testid="forbidden">403 — Forbidden</h1>
            <p>{{user}} may not list PyTorchJobs in namespace <code data-testid="forbidden-namespace">{{ns}}</code>.</p>
            <p><a href="/jobs">Back to the jobs you may see</a></p>
            </body></html>
            """);
    }
}
