using System.Text;
using Dashboard.Kubernetes.Cache;

namespace Dashboard.Kubernetes.Tests.Cache;

/// <summary>The pool is shared by every cache for the life of the process, so it must neither grow forever nor stop sharing.</summary>
public sealed class StringPoolTests
{
    [Fact]
    public void A_full_pool_starts_afresh_and_shares_again()
    {
        var pool = new StringPool();

        // A long life of jobs with unique run-id labels, long since deleted.
        for (var i = 0; i < StringPool.MaxEntries + 10; i++)
        {
            pool.Intern(Encoding.UTF8.GetBytes($"run-{i}"));
        }

        Assert.Equal(1, pool.Generation);
        Assert.InRange(pool.Count, 1, 100);
        var first = pool.Intern(new string("team-a".AsSpan()));
        Assert.Same(first, pool.Intern("team-a"u8));

        var labels = pool.Intern(LabelSet.From([new("app", "x")], pool));
        pool.AddLabelSet("""{"app":"x"}"""u8, labels);
        Assert.True(pool.TryGetLabelSet("""{"app":"x"}"""u8, out var shared));
        Assert.Same(labels, shared);
    }
}
