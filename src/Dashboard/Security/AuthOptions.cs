namespace Dashboard.Security;

/// <summary>How people are identified (configuration section <c>Auth</c>).</summary>
public enum AuthMode
{
    /// <summary>No sign-in: everyone who reaches the dashboard sees everything it can see. For loopback use.</summary>
    None,

    /// <summary>An authenticating proxy in front names the user in request headers; only trusted proxies are believed.</summary>
    ProxyHeaders,

    /// <summary>People sign in with a Kubernetes bearer token, checked once with a TokenReview.</summary>
    Token,
}

/// <summary>The <c>Auth</c> configuration section.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    public AuthMode Mode { get; set; } = AuthMode.None;

    /// <summary>The header an authenticating proxy puts the user name in.</summary>
    public string UserHeader { get; set; } = "X-Forwarded-User";

    /// <summary>The header an authenticating proxy puts the comma-separated groups in.</summary>
    public string GroupsHeader { get; set; } = "X-Forwarded-Groups";

    /// <summary>Addresses (IPs or CIDR ranges) whose user headers are believed; everyone else's are ignored.</summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>How long an access answer (allowed or denied) is reused before asking the API server again.</summary>
    public TimeSpan AccessCacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Folder for the keys that protect Token mode's session cookies and antiforgery tokens. Empty: keys live in
    /// memory (or the user profile), so sessions end when the pod restarts; a persistent volume shared by every
    /// replica keeps them.
    /// </summary>
    public string? DataProtectionKeysPath { get; set; }
}
