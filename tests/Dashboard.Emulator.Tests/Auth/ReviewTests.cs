using Dashboard.Emulator.Auth;
using Dashboard.Emulator.Tests.Infrastructure;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Dashboard.Emulator.Tests.Auth;

/// <summary>TokenReview and SubjectAccessReview over real HTTP, answered from the policy, through KubernetesClient.</summary>
public sealed class ReviewTests : IAsyncLifetime
{
    private const string PolicyJson = """
        {
          // tokens → identities
          "tokens": { "alice-token": { "user": "alice", "groups": ["ml"] }, "bob-token": { "user": "bob" } },
          "users": { "alice": ["team-a"], "bob": ["team-b"], "root": ["*"] },
          "groups": { "ml": ["research"] },
        }
        """;

    private EmulatorHost _emulator = null!;
    private Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _emulator = await TestEmulator.StartAsync(o => o with { Policy = AccessPolicy.Parse(PolicyJson), Token = "dashboard" });
        _client = TestEmulator.Client(_emulator, "dashboard");
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _emulator.DisposeAsync();
    }

    [Fact]
    public async Task A_known_token_is_reviewed_as_its_user_and_groups_and_an_unknown_one_is_not_authenticated()
    {
        var alice = await _client.AuthenticationV1.CreateTokenReviewAsync(new V1TokenReview { Spec = new V1TokenReviewSpec { Token = "alice-token" } });
        var stranger = await _client.AuthenticationV1.CreateTokenReviewAsync(new V1TokenReview { Spec = new V1TokenReviewSpec { Token = "guess" } });

        Assert.True(alice.Status.Authenticated);
        Assert.Equal("alice", alice.Status.User.Username);
        Assert.Equal(["ml"], alice.Status.User.Groups);
        Assert.False(stranger.Status.Authenticated is true);
        Assert.Null(stranger.Status.User);
    }

    [Theory]
    [InlineData("alice", "", "team-a", "list", true)]
    [InlineData("alice", "", "team-b", "list", false)]
    [InlineData("alice", "ml", "research", "list", true)] // through a group
    [InlineData("alice", "", "research", "list", false)] // the group is not claimed
    [InlineData("bob", "", "team-b", "watch", true)]
    [InlineData("bob", "", "team-b", "delete", false)] // the policy grants reading only
    [InlineData("root", "", "anything", "get", true)]
    [InlineData("mallory", "", "team-a", "list", false)]
    public async Task Access_reviews_follow_the_policy(string user, string groups, string @namespace, string verb, bool expected)
    {
        var review = await _client.AuthorizationV1.CreateSubjectAccessReviewAsync(new V1SubjectAccessReview
        {
            Spec = new V1SubjectAccessReviewSpec
            {
                User = user,
                Groups = groups.Length == 0 ? [] : groups.Split(','),
                ResourceAttributes = new V1ResourceAttributes { Verb = verb, Group = "kubeflow.org", Resource = "pytorchjobs", NamespaceProperty = @namespace },
            },
        });

        Assert.Equal(expected, review.Status.Allowed);
        Assert.Equal(user, review.Spec.User);
    }

    [Fact]
    public async Task Other_resources_are_denied_and_reviews_need_the_dashboard_token()
    {
        var secrets = await _client.AuthorizationV1.CreateSubjectAccessReviewAsync(new V1SubjectAccessReview
        {
            Spec = new V1SubjectAccessReviewSpec
            {
                User = "root",
                ResourceAttributes = new V1ResourceAttributes { Verb = "list", Group = "", Resource = "secrets", NamespaceProperty = "team-a" },
            },
        });
        using var anonymous = TestEmulator.Client(_emulator);
        var refused = await Assert.ThrowsAsync<HttpOperationException>(() =>
            anonymous.AuthenticationV1.CreateTokenReviewAsync(new V1TokenReview { Spec = new V1TokenReviewSpec { Token = "alice-token" } }));

        Assert.False(secrets.Status.Allowed);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.Response.StatusCode);
    }

    [Fact]
    public async Task Without_a_policy_every_access_review_is_allowed_and_no_token_is_known()
    {
        await using var open = await TestEmulator.StartAsync();
        using var client = TestEmulator.Client(open);

        var review = await client.AuthorizationV1.CreateSubjectAccessReviewAsync(new V1SubjectAccessReview
        {
            Spec = new V1SubjectAccessReviewSpec { User = "anyone", ResourceAttributes = new V1ResourceAttributes { Verb = "list", Group = "kubeflow.org", Resource = "pytorchjobs", NamespaceProperty = "team-a" } },
        });
        var token = await client.AuthenticationV1.CreateTokenReviewAsync(new V1TokenReview { Spec = new V1TokenReviewSpec { Token = "alice-token" } });

        Assert.True(review.Status.Allowed);
        Assert.False(token.Status.Authenticated is true);
    }

    [Fact]
    public void The_policy_file_loads_from_the_command_line_flag()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, PolicyJson);
            var options = Dashboard.Emulator.Hosting.CommandLine.Parse(["--policy", path]);

            Assert.NotNull(options.Policy);
            Assert.True(options.Policy.MayRead("alice", [], "team-a"));
            Assert.False(options.Policy.MayRead("alice", [], "team-b"));
            Assert.Equal("bob", options.Policy.Authenticate("bob-token")?.User);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
