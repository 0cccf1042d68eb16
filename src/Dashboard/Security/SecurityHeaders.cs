using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Security;

/// <summary>
/// Security headers on every response. The Content-Security-Policy allows exactly what Blazor Server and MudBlazor
/// use: scripts and styles from this origin, MudBlazor's inline style attributes, the circuit's WebSocket to this
/// origin, and the page's one inline script, the import map, by its hash (it changes with each build's fingerprints).
/// </summary>
public static class SecurityHeaders
{
    private const string PolicyTemplate =
        "default-src 'self'; " +
        "script-src 'self'{0}; " +
        "style-src 'self' 'unsafe-inline'; " + // MudBlazor sets style attributes at run time
        "img-src 'self' data:; " +
        "font-src 'self' data:; " +
        "connect-src 'self'; " + // 'self' covers ws:/wss: to this origin (CSP level 3)
        "object-src 'none'; " +
        "base-uri 'self'; " +
        "form-action 'self'; " +
        "frame-ancestors 'none'";

    private static readonly ConditionalWeakTable<ImportMapDefinition, string> s_hashes = [];

    public static void Apply(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy(context.GetEndpoint()?.Metadata.GetMetadata<ImportMapDefinition>());
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
    }

    public static string ContentSecurityPolicy(ImportMapDefinition? importMap)
    {
        var scriptHash = importMap is null ? "" : " '" + s_hashes.GetValue(importMap, Hash) + "'";
        return string.Format(System.Globalization.CultureInfo.InvariantCulture, PolicyTemplate, scriptHash);
    }

    // The <ImportMap/> component renders exactly ToString() (its JSON) as the inline script's text.
    private static string Hash(ImportMapDefinition importMap) =>
        "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(importMap.ToString())));
}
