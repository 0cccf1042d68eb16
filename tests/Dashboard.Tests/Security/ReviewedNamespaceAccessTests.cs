using System.Security.Claims;
using Dashboard.Tests.Components;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Dashboard.Tests.Security;

/// <summary>Answers come from the reviewer, are reused for the cache duration only, and failures deny.</summary>
public sealed class ReviewedNamespaceAccessTests
{
    private readonly ManualTimeProvider _clock = new(TestJobs.Now);
    private readonly CountingReviewer _reviewer = new();

    [Fact]
    public async Task An_answer_is_reused_until_the_cache_duration_passes_then_asked_again()
    {
        var access = Access();
        var alice = DashboardClaims.Create("alice", ["ml"], "test");

        Assert.True(await access.CanReadAsync(alice, "team-a", default));
        Assert.False(await access.CanReadAsync(alice, "team-b", default));
        Assert.True(await access.CanReadAsync(alice, "team-a", default));
        Assert.Equal(2, _reviewer.Calls);

        _clock.Advance(TimeSpan.FromSeconds(31));
        _reviewer.Allowed.Clear(); // access revoked in the cluster
        Assert.False(await access.CanReadAsync(alice, "team-a", default));
        Assert.Equal(3, _reviewer.Calls);
        Assert.Equal(("alice", "ml", "team-a"), _reviewer.Last);
    }

    [Fact]
    public async Task Anonymous_users_read_nothing_and_a_failed_review_denies_without_being_cached()
    {
        var access = Access();
        var alice = DashboardClaims.Create("alice", [], "test");

        Assert.False(await access.CanReadAsync(new ClaimsPrincipal(new ClaimsIdentity()), "team-a", default));
        Assert.Equal(0, _reviewer.Calls);

        _reviewer.Fail = true;
        Assert.False(await access.CanReadAsync(alice, "team-a", default));
        _reviewer.Fail = false;
        Assert.True(await access.CanReadAsync(alice, "team-a", default));
        Assert.Equal(2, _reviewer.Calls);
    }

    private ReviewedNamespaceAccess Access() =>
        new(_reviewer, Options.Create(new AuthOptions { AccessCacheDuration = TimeSpan.FromSeconds(30) }), _clock, NullLogger<ReviewedNamespaceAccess>.Instance);

    private sealed class CountingReviewer : IAccessReviewer
    {
        public HashSet<string> Allowed { get; } = ["team-a"];

        public int Calls { get; private set; }

        public bool Fail { get; set; }

        public (string User, string Groups, string Namespace) Last { get; private set; }

        public Task<bool> MayListJobsAsync(string user, IReadOnlyList<string> groups, string @namespace, CancellationToken cancellationToken)
        {
            Calls++;
            Last = (user, string.Join(",", groups), @namespace);
            return Fail ? throw new HttpRequestException("API server unreachable") : Task.FromResult(Allowed.Contains(@namespace));
        }
    }
}
