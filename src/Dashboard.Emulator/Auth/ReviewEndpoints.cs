using System.Text.Json.Nodes;
using Dashboard.Emulator.Api;
using Dashboard.Emulator.Errors;

namespace Dashboard.Emulator.Auth;

/// <summary>
/// <c>POST /apis/authentication.k8s.io/v1/tokenreviews</c> and <c>POST /apis/authorization.k8s.io/v1/subjectaccessreviews</c>,
/// answered from the <see cref="AccessPolicy"/>. Without a policy every access review is allowed (a local demo has
/// no RBAC) and no token is known.
/// </summary>
internal static class ReviewEndpoints
{
    public const string TokenReviewPath = "/apis/authentication.k8s.io/v1/tokenreviews";
    public const string SubjectAccessReviewPath = "/apis/authorization.k8s.io/v1/subjectaccessreviews";

    private static readonly HashSet<string> s_readVerbs = ["get", "list", "watch"];

    public static bool Matches(string path) =>
        path.Equals(TokenReviewPath, StringComparison.Ordinal) || path.Equals(SubjectAccessReviewPath, StringComparison.Ordinal);

    public static async Task HandleAsync(HttpContext http, AccessPolicy? policy)
    {
        if (!HttpMethods.IsPost(http.Request.Method))
        {
            throw ApiErrors.Failure(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource");
        }

        var body = RequestBody.ParseJson(await RequestBody.ReadBytesAsync(http.Request)) as JsonObject
            ?? throw ApiErrors.BadRequest("the request body must be a JSON object");
        var spec = body["spec"] as JsonObject ?? throw ApiErrors.BadRequest("spec is required");
        var path = http.Request.Path.Value!;
        var answer = path == TokenReviewPath ? ReviewToken(spec, policy) : ReviewAccess(spec, policy);
        await JsonResponses.WriteBytesAsync(http, 201, System.Text.Encoding.UTF8.GetBytes(answer.ToJsonString()));
    }

    private static JsonObject ReviewToken(JsonObject spec, AccessPolicy? policy)
    {
        var token = spec["token"]?.GetValue<string>() ?? "";
        var identity = policy?.Authenticate(token);
        var status = identity is null
            ? new JsonObject { ["authenticated"] = false, ["error"] = "invalid bearer token" }
            : new JsonObject
            {
                ["authenticated"] = true,
                ["user"] = new JsonObject
                {
                    ["username"] = identity.User,
                    ["groups"] = new JsonArray([.. (identity.Groups ?? []).Select(g => (JsonNode?)JsonValue.Create(g))]),
                },
            };

        // The token is not echoed back: a review answer is logged by clients more often than a request.
        return new JsonObject
        {
            ["kind"] = "TokenReview",
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["metadata"] = new JsonObject(),
            ["spec"] = new JsonObject(),
            ["status"] = status,
        };
    }

    private static JsonObject ReviewAccess(JsonObject spec, AccessPolicy? policy)
    {
        var user = spec["user"]?.GetValue<string>();
        var groups = spec["groups"] is JsonArray array ? array.Select(g => g?.GetValue<string>()).OfType<string>().ToArray() : [];
        var attributes = spec["resourceAttributes"] as JsonObject;
        var verb = attributes?["verb"]?.GetValue<string>();
        var group = attributes?["group"]?.GetValue<string>() ?? "";
        var resource = attributes?["resource"]?.GetValue<string>();
        var @namespace = attributes?["namespace"]?.GetValue<string>();

        bool allowed;
        string reason;
        if (policy is null)
        {
            allowed = true;
            reason = "the emulator runs without a policy";
        }
        else if (group == "kubeflow.org" && resource == "pytorchjobs" && verb is not null && s_readVerbs.Contains(verb) && policy.MayRead(user, groups, @namespace))
        {
            allowed = true;
            reason = $"the policy lets {user} read pytorchjobs in {@namespace}";
        }
        else
        {
            allowed = false;
            reason = "";
        }

        var status = new JsonObject { ["allowed"] = allowed };
        if (reason.Length > 0)
        {
            status["reason"] = reason;
        }

        return new JsonObject
        {
            ["kind"] = "SubjectAccessReview",
            ["apiVersion"] = "authorization.k8s.io/v1",
            ["metadata"] = new JsonObject(),
            ["spec"] = spec.DeepClone(),
            ["status"] = status,
        };
    }
}
