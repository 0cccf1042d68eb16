using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dashboard.Emulator.Auth;

/// <summary>
/// Who is who and who may read which namespace, for TokenReview and SubjectAccessReview. JSON:
/// <code>
/// { "tokens": { "TOKEN": { "user": "alice", "groups": ["ml"] } },
///   "users":  { "alice": ["team-a"] },
///   "groups": { "ml": ["research"], "admins": ["*"] } }
/// </code>
/// A user may read (get, list, watch) pytorchjobs in the namespaces listed for them or for any of their groups;
/// "*" is every namespace. Everything else is denied.
/// </summary>
public sealed record AccessPolicy
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    [JsonPropertyName("tokens")]
    public IReadOnlyDictionary<string, PolicyIdentity> Tokens { get; init; } = new Dictionary<string, PolicyIdentity>();

    [JsonPropertyName("users")]
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Users { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    [JsonPropertyName("groups")]
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Groups { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    public static AccessPolicy Parse(string json) =>
        JsonSerializer.Deserialize<AccessPolicy>(json, s_json) ?? throw new FormatException("the policy file is empty");

    public static AccessPolicy Load(string path)
    {
        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new FormatException($"policy file {path}: {e.Message}", e);
        }
    }

    /// <summary>The identity a bearer token stands for, or null if the token is unknown.</summary>
    public PolicyIdentity? Authenticate(string token) => Tokens.TryGetValue(token, out var identity) ? identity : null;

    public bool MayRead(string? user, IReadOnlyList<string> groups, string? @namespace)
    {
        if (@namespace is null)
        {
            return false;
        }

        bool Grants(IReadOnlyList<string>? namespaces) => namespaces is not null && namespaces.Any(n => n == "*" || n == @namespace);
        return (user is not null && Users.TryGetValue(user, out var own) && Grants(own))
            || groups.Any(g => Groups.TryGetValue(g, out var granted) && Grants(granted));
    }
}

public sealed record PolicyIdentity(
    [property: JsonPropertyName("user")] string User,
    [property: JsonPropertyName("groups")] IReadOnlyList<string>? Groups = null);
