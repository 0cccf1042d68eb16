using Dashboard.Model.Selectors;

namespace Dashboard.Model.Tests.Selectors;

public sealed class FieldSelectorTests
{
    [Theory]
    [InlineData("metadata.name=pytorch-test", "kube-test", "pytorch-test", true)]
    [InlineData("metadata.name==pytorch-test", "kube-test", "pytorch-test", true)]
    [InlineData("metadata.name=other", "kube-test", "pytorch-test", false)]
    [InlineData("metadata.name!=pytorch-test", "kube-test", "pytorch-test", false)]
    [InlineData("metadata.name!=other", "kube-test", "pytorch-test", true)]
    [InlineData("metadata.namespace=kube-test", "kube-test", "pytorch-test", true)]
    [InlineData("metadata.namespace==team-a", "kube-test", "pytorch-test", false)]
    [InlineData("metadata.namespace!=team-a", "kube-test", "pytorch-test", true)]
    [InlineData("metadata.namespace=kube-test,metadata.name=pytorch-test", "kube-test", "pytorch-test", true)]
    [InlineData("metadata.namespace=kube-test,metadata.name=other", "kube-test", "pytorch-test", false)]
    [InlineData("metadata.name!=a,metadata.name!=b", "ns", "c", true)]
    [InlineData("metadata.name!=a,metadata.name!=b", "ns", "b", false)]
    [InlineData("metadata.name=", "ns", "", true)]
    [InlineData("metadata.name=", "ns", "x", false)]
    [InlineData("metadata.name=a\\,b", "ns", "a,b", true)]
    [InlineData("metadata.name=a\\=b", "ns", "a=b", true)]
    [InlineData("metadata.name=a\\\\b", "ns", "a\\b", true)]
    [InlineData("metadata.name=x,", "ns", "x", true)]
    [InlineData(",,metadata.name=x", "ns", "x", true)]
    [InlineData("metadata.name=Pytorch-Test", "kube-test", "pytorch-test", false)]
    public void Matches_name_and_namespace(string selector, string @namespace, string name, bool expected)
    {
        Assert.Equal(expected, FieldSelector.Parse(selector).Matches(@namespace, name));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(",")]
    public void Empty_selectors_match_everything(string? selector)
    {
        var parsed = FieldSelector.Parse(selector);
        Assert.True(parsed.IsEmpty);
        Assert.True(parsed.Matches("any", "thing"));
        Assert.Equal("", parsed.ToString());
    }

    [Fact]
    public void Everything_is_empty()
    {
        Assert.True(FieldSelector.Everything.IsEmpty);
        Assert.Same(FieldSelector.Everything, FieldSelector.Parse(null));
    }

    [Theory]
    [InlineData("metadata.namespace=a,metadata.name==b", "metadata.name=b,metadata.namespace=a")]
    [InlineData("metadata.name!=b", "metadata.name!=b")]
    [InlineData("metadata.name=a\\,b", "metadata.name=a,b")]
    public void ToString_is_the_sorted_upstream_form(string selector, string expected)
    {
        Assert.Equal(expected, FieldSelector.Parse(selector).ToString());
    }

    [Theory]
    [InlineData("status.phase=Running", "field label not supported: status.phase")]
    [InlineData("spec.nodeName=x", "field label not supported: spec.nodeName")]
    [InlineData("metadata.uid=x", "field label not supported: metadata.uid")]
    [InlineData("=x", "field label not supported: ")]
    // Whitespace is not trimmed upstream: the label is "metadata.name ".
    [InlineData("metadata.name =x", "field label not supported: metadata.name ")]
    // Terms are sorted before the labels are checked, so the first unsupported one in sort order is reported.
    [InlineData("zzz=1,aaa=2", "field label not supported: aaa")]
    [InlineData("metadata.name=x,b=1", "field label not supported: b")]
    [InlineData("metadata.name", "invalid selector: 'metadata.name'; can't understand 'metadata.name'")]
    [InlineData("metadata.name=x,oops", "invalid selector: 'metadata.name=x,oops'; can't understand 'oops'")]
    [InlineData("metadata.name in (a)", "invalid selector: 'metadata.name in (a)'; can't understand 'metadata.name in (a)'")]
    // A parse error anywhere wins over an unsupported label.
    [InlineData("bad=1,zz", "invalid selector: 'bad=1,zz'; can't understand 'zz'")]
    // Go prints the offending rune with %v, i.e. as a number.
    [InlineData("metadata.name=a=b", "invalid field selector: unescapedRune character in value: 61")]
    [InlineData("metadata.name=a\\x", "invalid field selector: invalid escape sequence: \\x")]
    [InlineData("metadata.name=a\\", "invalid field selector: invalid escape sequence: \\")]
    public void Bad_selectors_fail_with_the_api_servers_message(string selector, string message)
    {
        var exception = Assert.Throws<SelectorParseException>(() => FieldSelector.Parse(selector));
        Assert.Equal(message, exception.Message);
        Assert.False(FieldSelector.TryParse(selector, out var result, out var error));
        Assert.Equal(message, error);
        Assert.Same(FieldSelector.Everything, result);
    }

    [Fact]
    public void Operators_split_at_the_first_occurrence()
    {
        // "!=" before "==" before "=" at each position: "a!==b" is a != "=b", whose "=" must be escaped.
        Assert.Equal(
            "invalid field selector: unescapedRune character in value: 61",
            Assert.Throws<SelectorParseException>(() => FieldSelector.Parse("metadata.name!==b")).Message);
        Assert.True(FieldSelector.Parse("metadata.name!=\\=b").Matches("ns", "x"));
        Assert.False(FieldSelector.Parse("metadata.name!=\\=b").Matches("ns", "=b"));
    }

    [Fact]
    public void Matches_does_not_allocate()
    {
        var selector = FieldSelector.Parse("metadata.namespace=team-a,metadata.name!=old");
        Assert.True(selector.Matches("team-a", "new"));
        var before = GC.GetAllocatedBytesForCurrentThread();
        var matched = 0;
        for (var i = 0; i < 10_000; i++)
        {
            if (selector.Matches("team-a", "new"))
            {
                matched++;
            }
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(10_000, matched);
    }
}
