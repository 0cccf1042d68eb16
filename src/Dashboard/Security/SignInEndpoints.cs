using System.Net;
using Dashboard.Kubernetes.Connection;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace Dashboard.Security;

/// <summary>
/// <c>/signin</c> and <c>/signout</c>, served without the Blazor circuit (which needs a signed-in user). In Token mode
/// the form takes a Kubernetes bearer token, checks it once with a TokenReview and starts a cookie session holding
/// only the user's name and groups: the token is not stored, logged or sent back. Both forms carry antiforgery tokens.
/// In ProxyHeaders mode the page only says the proxy signs people in.
/// </summary>
public static class SignInEndpoints
{
    public const string SignOutPath = "/signout";
    public const string TokenField = "token";
    public const string CookieName = "dashboard.session";

    public static async Task HandleSignInAsync(HttpContext context)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value;
        if (options.Mode != AuthMode.Token)
        {
            await WritePageAsync(context, context.User.Identity is { IsAuthenticated: true } ? 200 : 401, NotSignedInBody(context, options.Mode));
            return;
        }

        if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
        {
            await WritePageAsync(context, 200, TokenFormBody(context, error: null));
            return;
        }

        if (!HttpMethods.IsPost(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        if (!await IsValidAntiforgeryAsync(context))
        {
            await WritePageAsync(context, 400, "<h1>Bad request</h1><p>The form expired; <a href=\"/signin\">sign in again</a>.</p>");
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var token = form[TokenField].ToString().Trim();
        var identity = token.Length == 0 ? null : await ReviewTokenAsync(context, token);
        if (identity is null)
        {
            await WritePageAsync(context, 401, TokenFormBody(context, "The token was not accepted by the Kubernetes API server."));
            return;
        }

        var principal = DashboardClaims.Create(identity.Value.User, identity.Value.Groups, CookieAuthenticationDefaults.AuthenticationScheme);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
        context.Response.Redirect(LocalReturnUrl(context.Request.Query["returnUrl"].ToString()));
    }

    public static async Task HandleSignOutAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        if (!await IsValidAntiforgeryAsync(context))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        context.Response.Redirect(AccessGate.SignInPath);
    }

    /// <summary>Only a path on this site (no scheme, no "//host"): anything else goes to the jobs page.</summary>
    public static string LocalReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
            ? returnUrl
            : "/jobs";

    private static async Task<(string User, IReadOnlyList<string> Groups)?> ReviewTokenAsync(HttpContext context, string token)
    {
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SignInEndpoints));
        try
        {
            var client = await context.RequestServices.GetRequiredService<IKubernetesConnection>().GetClientAsync(context.RequestAborted);
            var review = await client.AuthenticationV1.CreateTokenReviewAsync(
                new V1TokenReview { ApiVersion = "authentication.k8s.io/v1", Kind = "TokenReview", Spec = new V1TokenReviewSpec { Token = token } },
                cancellationToken: context.RequestAborted);
            if (review.Status is { Authenticated: true, User.Username: { Length: > 0 } user })
            {
                logger.LogInformation("Signed in {User} with a token", user);
                return (user, [.. review.Status.User.Groups ?? []]);
            }

            logger.LogInformation("A sign-in token was not accepted");
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The exception's message never includes the token (it travels in the request body only).
            logger.LogWarning("TokenReview failed: {Error}", e.GetType().Name + ": " + e.Message);
            return null;
        }
    }

    private static async Task<bool> IsValidAntiforgeryAsync(HttpContext context)
    {
        try
        {
            await context.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(context);
            return true;
        }
        catch (AntiforgeryValidationException e)
        {
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SignInEndpoints))
                .LogWarning("Antiforgery validation failed on {Path}: {Reason}", context.Request.Path, e.Message);
            return false;
        }
    }

    private static string TokenFormBody(HttpContext context, string? error)
    {
        var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        var hidden = $"<input type=\"hidden\" name=\"{WebUtility.HtmlEncode(antiforgery.FormFieldName)}\" value=\"{WebUtility.HtmlEncode(antiforgery.RequestToken)}\" />";
        var returnUrl = WebUtility.HtmlEncode(Uri.EscapeDataString(LocalReturnUrl(context.Request.Query["returnUrl"].ToString())));
        if (context.User.Identity is { IsAuthenticated: true })
        {
            var user = WebUtility.HtmlEncode(DashboardClaims.UserName(context.User));
            return $"""
                <h1 data-testid="signed-in">Signed in</h1>
                <p>You are signed in as <strong data-testid="user-name">{user}</strong>. <a href="/jobs">Go to the jobs</a>.</p>
                <form method="post" action="{SignOutPath}">{hidden}<button type="submit" data-testid="sign-out">Sign out</button></form>
                """;
        }

        var message = error is null ? "" : $"<p role=\"alert\" data-testid=\"sign-in-error\">{WebUtility.HtmlEncode(error)}</p>";
        return $"""
            <h1 data-testid="not-signed-in">Sign in</h1>
            <p>Paste a Kubernetes bearer token (for example from <code>kubectl create token</code>). It is checked once with the API server and not kept.</p>
            {message}
            <form method="post" action="/signin?returnUrl={returnUrl}" autocomplete="off">
            {hidden}
            <label for="token">Token</label>
            <input id="token" name="{TokenField}" type="password" required autocomplete="off" spellcheck="false" data-testid="token-input" />
            <button type="submit" data-testid="sign-in">Sign in</button>
            </form>
            """;
    }

    private static string NotSignedInBody(HttpContext context, AuthMode mode)
    {
        if (context.User.Identity is { IsAuthenticated: true })
        {
            return $"<h1 data-testid=\"signed-in\">Signed in</h1><p>You are signed in as <strong>{WebUtility.HtmlEncode(DashboardClaims.UserName(context.User))}</strong>. <a href=\"/jobs\">Go to the jobs</a>.</p>";
        }

        var message = mode == AuthMode.ProxyHeaders
            ? "You are not signed in. Open the dashboard through its sign-in proxy."
            : "You are not signed in.";
        return $"<h1 data-testid=\"not-signed-in\">Not signed in</h1><p>{WebUtility.HtmlEncode(message)}</p>";
    }

    private static Task WritePageAsync(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync($"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8" /><title>Sign in · PyTorchJob Dashboard</title><link rel="stylesheet" href="/app.css" /><link rel="icon" type="image/png" href="/favicon.png" /></head>
            <body class="sign-in-page">
            {body}
            </body></html>
            """);
    }
}
