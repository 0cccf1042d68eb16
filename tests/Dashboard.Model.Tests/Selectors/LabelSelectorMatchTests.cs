using Dashboard.Model.Selectors;

namespace Dashboard.Model.Tests.Selectors;

public sealed class LabelSelectorMatchTests
{
    // "a=1;b=2" → a dictionary; "" → no labels at all.
    private static Dictionary<string, string> Labels(string text) =>
        text.Length == 0
            ? []
            : text.Split(';').Select(pair => pair.Split('=', 2)).ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);

    // Upstream TestSelectorMatches / TestRequirementSelectorMatching plus every operator's edge cases.
    [Theory]
    [InlineData("", "x=y", true)]
    [InlineData("", "", true)]
    [InlineData("x=y", "x=y", true)]
    [InlineData("x=y,z=w", "x=y;z=w", true)]
    [InlineData("x!=y,z!=w", "x=z;z=a", true)]
    [InlineData("notin=in", "notin=in", true)]
    [InlineData("x", "x=z", true)]
    [InlineData("!x", "y=z", true)]
    [InlineData("x>1", "x=2", true)]
    [InlineData("x<1", "x=0", true)]
    [InlineData("x=z", "", false)]
    [InlineData("x=y", "x=z", false)]
    [InlineData("x=y,z=w", "x=w;z=w", false)]
    [InlineData("x!=y,z!=w", "x=z;z=w", false)]
    [InlineData("x", "y=z", false)]
    [InlineData("!x", "x=z", false)]
    [InlineData("x>1", "x=0", false)]
    [InlineData("x<1", "x=2", false)]
    [InlineData("foo=bar", "foo=bar;baz=blah", true)]
    [InlineData("baz=blah", "foo=bar;baz=blah", true)]
    [InlineData("foo=bar,baz=blah", "foo=bar;baz=blah", true)]
    [InlineData("foo=blah", "foo=bar;baz=blah", false)]
    [InlineData("baz=bar", "foo=bar;baz=blah", false)]
    [InlineData("foo=bar,foobar=bar,baz=blah", "foo=bar;baz=blah", false)]
    [InlineData("x in (foo),y notin (alpha)", "x=foo;y=baz", true)]
    [InlineData("x in (foo),y in (alpha)", "x=foo;y=baz", false)]
    [InlineData("x notin (),y", "y=", true)]
    [InlineData("!x,y", "y=", true)]
    [InlineData("x notin (),!y", "y=", false)]
    [InlineData("x in ()", "y=baz", false)]
    [InlineData("z>1", "z=2", true)]
    [InlineData("z>1", "z=v2", false)]
    // == behaves as =.
    [InlineData("x==y", "x=y", true)]
    [InlineData("x==y", "x=z", false)]
    [InlineData("x==y", "", false)]
    // != and notin match when the key is absent.
    [InlineData("x!=y", "", true)]
    [InlineData("x!=y", "x=y", false)]
    [InlineData("x notin (a,b)", "", true)]
    [InlineData("x notin (a,b)", "x=b", false)]
    [InlineData("x notin (a,b)", "x=c", true)]
    // in needs the key and one of the values.
    [InlineData("x in (a,b)", "x=b", true)]
    [InlineData("x in (a,b)", "x=c", false)]
    [InlineData("x in (a,b)", "", false)]
    // Empty values.
    [InlineData("x=", "x=", true)]
    [InlineData("x=", "x=a", false)]
    [InlineData("x=", "", false)]
    [InlineData("x!=", "x=", false)]
    [InlineData("x!=", "x=a", true)]
    [InlineData("x in (a,)", "x=", true)]
    [InlineData("x in (a,)", "x=a", true)]
    [InlineData("x in ()", "x=", true)]
    // Values compare exactly (ordinal, case-sensitive).
    [InlineData("x=A", "x=a", false)]
    [InlineData("X=a", "x=a", false)]
    // gt / lt: integers only, strict comparison, absent key never matches.
    [InlineData("x>5", "x=5", false)]
    [InlineData("x>5", "x=6", true)]
    [InlineData("x<5", "x=5", false)]
    [InlineData("x<5", "x=-7", true)]
    [InlineData("x>5", "", false)]
    [InlineData("x<5", "", false)]
    [InlineData("x>5", "x=10", true)]
    [InlineData("x>5", "x=+6", true)]
    [InlineData("x>5", "x=6.0", false)]
    [InlineData("x>5", "x= 6", false)]
    [InlineData("x>5", "x=9223372036854775807", true)]
    [InlineData("x<5", "x=99999999999999999999", false)]
    [InlineData("x<5", "x=", false)]
    [InlineData("x>0", "x=-1", false)]
    [InlineData("x<1", "x=-1", true)]
    // Prefixed keys, as the training operator sets them.
    [InlineData("training.kubeflow.org/job-role=master", "training.kubeflow.org/job-role=master", true)]
    [InlineData("training.kubeflow.org/job-role", "training.kubeflow.org/replica-type=worker", false)]
    public void Matches_like_upstream(string selector, string labels, bool expected)
    {
        Assert.Equal(expected, LabelSelector.Parse(selector).Matches(Labels(labels)));
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("!x", true)]
    [InlineData("x notin (a)", true)]
    [InlineData("x!=a", true)]
    [InlineData("x", false)]
    [InlineData("x=a", false)]
    [InlineData("x in (a)", false)]
    [InlineData("x>1", false)]
    public void Null_labels_are_no_labels(string selector, bool expected)
    {
        Assert.Equal(expected, LabelSelector.Parse(selector).Matches(null));
    }

    [Fact]
    public void Requirement_matches_on_its_own()
    {
        var requirement = LabelSelector.Parse("team in (a,b)").Requirements[0];
        Assert.True(requirement.Matches(Labels("team=a")));
        Assert.False(requirement.Matches(Labels("team=c")));
    }

    [Fact]
    public void Matches_does_not_allocate()
    {
        var selector = LabelSelector.Parse("app=web,tier in (a,b,c),!legacy,env!=prod,rank>3,size<100,owner,gone notin (x)");
        var labels = new Dictionary<string, string>
        {
            ["app"] = "web",
            ["tier"] = "b",
            ["env"] = "dev",
            ["rank"] = "42",
            ["size"] = "7",
            ["owner"] = "me",
        };
        IReadOnlyDictionary<string, string> readOnly = labels;
        Assert.True(selector.Matches(readOnly)); // warm up (JIT, tiering) before measuring

        var before = GC.GetAllocatedBytesForCurrentThread();
        var matched = 0;
        for (var i = 0; i < 10_000; i++)
        {
            if (selector.Matches(readOnly))
            {
                matched++;
            }
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(10_000, matched);
        Assert.Equal(0, allocated);
    }
}
