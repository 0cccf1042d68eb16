using Dashboard.Model.Selectors;

namespace Dashboard.Model.Tests.Selectors;

public sealed class LabelSelectorParseTests
{
    private const string BinaryOperators = "in, notin, =, ==, !=, gt, lt";

    private const string ValueRule =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character " +
        "(e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

    private const string NamePartRule =
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character " +
        "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

    // Upstream selector_test.go TestSelectorParse: the canonical form is the input without spaces.
    [Theory]
    [InlineData("x=a,y=b,z=c")]
    [InlineData("x!=a,y=b")]
    [InlineData("x=")]
    [InlineData("x= ")]
    [InlineData("x=,z= ")]
    [InlineData("x= ,z= ")]
    [InlineData("!x")]
    [InlineData("x>1")]
    [InlineData("x>1,z<5")]
    public void Good_strings_round_trip_to_the_same_text_without_spaces(string selector)
    {
        Assert.Equal(selector.Replace(" ", "", StringComparison.Ordinal), LabelSelector.Parse(selector).ToString());
    }

    // Upstream TestSetSelectorParser (valid cases) and TestToString, as canonical strings.
    [Theory]
    [InlineData("\rx", "x")]
    [InlineData("this-is-a-dns.domain.com/key-with-dash", "this-is-a-dns.domain.com/key-with-dash")]
    [InlineData("this-is-another-dns.domain.com/key-with-dash in (so,what)", "this-is-another-dns.domain.com/key-with-dash in (so,what)")]
    [InlineData("0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)", "0.1.2.domain/99 notin (10.10.100.1,tick.tack.clock)")]
    [InlineData("foo  in\t (abc)", "foo in (abc)")]
    [InlineData("x notin\n (abc)", "x notin (abc)")]
    [InlineData("x  notin\t\t\t(abc,def)", "x notin (abc,def)")]
    [InlineData("x in (def,abc)", "x in (abc,def)")]
    [InlineData("x in (abc,)", "x in (,abc)")]
    [InlineData("x in ()", "x in ()")]
    [InlineData("x notin ( )", "x notin ()")]
    [InlineData("x notin (, a)", "x notin (,a)")]
    [InlineData("x in (a,,b)", "x in (,a,b)")]
    [InlineData("x in (b,a,b,a)", "x in (a,b)")]
    [InlineData("x notin (abc,def),bar,z in (),w", "bar,w,x notin (abc,def),z in ()")]
    [InlineData("x,y in (a)", "x,y in (a)")]
    [InlineData("z=c,x==a,y!=b", "x==a,y!=b,z=c")]
    [InlineData("a ", "a")]
    [InlineData("a in (x,y,notin, z,in)", "a in (in,notin,x,y,z)")]
    [InlineData("in=notin,notin in (in)", "in=notin,notin in (in)")]
    [InlineData("x>2,y<8,z", "x>2,y<8,z")]
    [InlineData("z!=a,z,y==jkl,x=abc", "x=abc,y==jkl,z!=a,z")]
    [InlineData("x=a,a=x", "a=x,x=a")]
    [InlineData("k>0,k<12345", "k>0,k<12345")]
    [InlineData("k<007", "k<007")]
    [InlineData("a = b , c != d", "a=b,c!=d")]
    [InlineData("a in(b)", "a in (b)")]
    [InlineData("training.kubeflow.org/job-name=pytorch-test", "training.kubeflow.org/job-name=pytorch-test")]
    [InlineData("x in (a),x notin (b)", "x in (a),x notin (b)")]
    public void Parses_to_the_upstream_canonical_string(string selector, string canonical)
    {
        var parsed = LabelSelector.Parse(selector);
        Assert.Equal(canonical, parsed.ToString());
        // The canonical string is itself a selector that parses to the same thing.
        Assert.Equal(canonical, LabelSelector.Parse(canonical).ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(" \t\r\n ")]
    public void Null_and_blank_are_everything(string? selector)
    {
        var parsed = LabelSelector.Parse(selector);
        Assert.True(parsed.IsEmpty);
        Assert.Empty(parsed.Requirements);
        Assert.Equal("", parsed.ToString());
        Assert.True(parsed.Matches(new Dictionary<string, string> { ["x"] = "y" }));
        Assert.True(parsed.Matches(null));
    }

    [Fact]
    public void Everything_is_empty_and_matches_anything()
    {
        Assert.True(LabelSelector.Everything.IsEmpty);
        Assert.Same(LabelSelector.Everything, LabelSelector.Parse(null));
        Assert.True(LabelSelector.Everything.Matches(new Dictionary<string, string> { ["x"] = "y" }));
    }

    [Fact]
    public void Requirements_are_sorted_by_key_with_their_operators_and_sorted_values()
    {
        var parsed = LabelSelector.Parse("z notin (b,a), !y, x, w>3, v<1, u!=q, t==r, s=p, r in (in)");
        Assert.False(parsed.IsEmpty);
        var summary = parsed.Requirements.Select(r => (r.Key, r.Operator, string.Join("|", r.Values))).ToArray();
        Assert.Equal(
            [
                ("r", LabelSelectorOperator.In, "in"),
                ("s", LabelSelectorOperator.Equals, "p"),
                ("t", LabelSelectorOperator.DoubleEquals, "r"),
                ("u", LabelSelectorOperator.NotEquals, "q"),
                ("v", LabelSelectorOperator.LessThan, "1"),
                ("w", LabelSelectorOperator.GreaterThan, "3"),
                ("x", LabelSelectorOperator.Exists, ""),
                ("y", LabelSelectorOperator.DoesNotExist, ""),
                ("z", LabelSelectorOperator.NotIn, "a|b"),
            ],
            summary);
        Assert.Equal("r in (in)", parsed.Requirements[0].ToString());
        Assert.Equal("!y", parsed.Requirements[7].ToString());
    }

    [Fact]
    public void Equal_keys_keep_their_written_order()
    {
        Assert.Equal("a=1,a!=2,b", LabelSelector.Parse("b,a=1,a!=2").ToString());
        Assert.Equal("a!=2,a=1,b", LabelSelector.Parse("b,a!=2,a=1").ToString());
    }

    public static TheoryData<string, string> BadSelectors => new()
    {
        // Upstream TestSelectorParse / TestSetSelectorParser bad strings.
        { "x=a||y=b", $"unable to parse requirement: values[0][x]: Invalid value: \"a||y\": {ValueRule}" },
        { "x==a==b", "found '==', expected: ',' or 'end of string'" },
        { "!x=a", "found '=', expected: ',' or 'end of string'" },
        { "x<a", "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer" },
        { "x,,y", "found ',', expected: identifier after ','" },
        { ",x,y", "found ',', expected: !, identifier, or 'end of string'" },
        { "x nott in (y)", $"unable to parse requirement: found 'nott', expected: {BinaryOperators}" },
        { "a in (xyz),", "found '', expected: identifier after ','" },
        { "a in (xyz)b notin ()", "found 'b', expected: ',' or 'end of string'" },
        { "a in (xyz abc)", "unable to parse requirement: found 'abc', expected: ',' or ')'" },
        { "a notin(", "unable to parse requirement: found '', expected: ',', ')' or identifier" },
        { "a (", $"unable to parse requirement: found '(', expected: {BinaryOperators}" },
        { "(", "found '(', expected: !, identifier, or 'end of string'" },
        // The operator list as the brief quotes it.
        { "x)", $"unable to parse requirement: found ')', expected: {BinaryOperators}" },
        { "x y", $"unable to parse requirement: found 'y', expected: {BinaryOperators}" },
        { "x in a", "unable to parse requirement: found 'a' expected: '('" },
        { "x in (a", "unable to parse requirement: found '', expected: ',' or ')'" },
        { "x in (a,=)", "unable to parse requirement: found '=', expected: ',', or identifier" },
        { "x in (=)", "unable to parse requirement: found '=', expected: ',', ')' or identifier" },
        { "x=(a)", "unable to parse requirement: found '(', expected: identifier" },
        { "x===a", "unable to parse requirement: found '=', expected: identifier" },
        { "!", "unable to parse requirement: found '', expected: identifier" },
        { "!!x", "unable to parse requirement: found '!', expected: identifier" },
        { "!=x", "found '!=', expected: !, identifier, or 'end of string'" },
        { "x=a b", "found 'b', expected: ',' or 'end of string'" },
        { "x=a;y=b", $"unable to parse requirement: values[0][x]: Invalid value: \"a;y\": {ValueRule}" },
        // Key validation: the API server parses without a field path, so Go prints it as <nil>.
        { "app:monolith", $"unable to parse requirement: <nil>: Invalid value: \"app:monolith\": {NamePartRule}" },
        { "*bar", $"unable to parse requirement: <nil>: Invalid value: \"*bar\": {NamePartRule}" },
        { "-x=1", $"unable to parse requirement: <nil>: Invalid value: \"-x\": {NamePartRule}" },
        {
            "a/b/c ?=? def",
            "unable to parse requirement: <nil>: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', " +
            "and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is " +
            "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
        },
        {
            "app.kubernetes_io/name=x",
            "unable to parse requirement: <nil>: Invalid value: \"app.kubernetes_io/name\": prefix part a lowercase RFC 1123 subdomain must consist of " +
            "lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used " +
            "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
        },
        { "/a", "unable to parse requirement: <nil>: Invalid value: \"/a\": prefix part must be non-empty" },
        { "a/", $"unable to parse requirement: <nil>: Invalid value: \"a/\": name part must be non-empty; {NamePartRule}" },
        {
            new string('k', 64),
            $"unable to parse requirement: <nil>: Invalid value: \"{new string('k', 64)}\": name part must be no more than 63 characters"
        },
        // Value validation, with the key in the path.
        { "k=-a", $"unable to parse requirement: values[0][k]: Invalid value: \"-a\": {ValueRule}" },
        { "k in (ok,-b)", $"unable to parse requirement: values[0][k]: Invalid value: \"-b\": {ValueRule}" },
        { "k in (ok,z-)", $"unable to parse requirement: values[1][k]: Invalid value: \"z-\": {ValueRule}" },
        // A negative or signed number is an integer but not a label value, so gt/lt take only plain digits.
        { "k>-5", $"unable to parse requirement: values[0][k]: Invalid value: \"-5\": {ValueRule}" },
        { "k<+5", $"unable to parse requirement: values[0][k]: Invalid value: \"+5\": {ValueRule}" },
        {
            "k=" + new string('v', 64),
            $"unable to parse requirement: values[0][k]: Invalid value: \"{new string('v', 64)}\": must be no more than 63 characters"
        },
        // Several errors of one requirement are aggregated as [a, b].
        {
            "k>x_",
            "unable to parse requirement: [values[0]: Invalid value: \"x_\": for 'Gt', 'Lt' operators, the value must be an integer, " +
            $"values[0][k]: Invalid value: \"x_\": {ValueRule}]"
        },
        { "x>", "unable to parse requirement: values[0]: Invalid value: \"\": for 'Gt', 'Lt' operators, the value must be an integer" },
        { "x=>1", "unable to parse requirement: found '>', expected: identifier" },
        { "x>=1", "unable to parse requirement: found '=', expected: identifier" },
        { "x!a", $"unable to parse requirement: found '!', expected: {BinaryOperators}" },
        { "!x in (a)", "found 'in', expected: ',' or 'end of string'" },
        { "x in (a)(", "found '(', expected: ',' or 'end of string'" },
        { "k>99999999999999999999", "unable to parse requirement: values[0]: Invalid value: \"99999999999999999999\": for 'Gt', 'Lt' operators, the value must be an integer" },
        // Go's %q escapes what is not printable and keeps printable Unicode.
        { "k=a\vb", $"unable to parse requirement: values[0][k]: Invalid value: \"a\\vb\": {ValueRule}" },
        { "k=a\"b", $"unable to parse requirement: values[0][k]: Invalid value: \"a\\\"b\": {ValueRule}" },
        { "k=ü", $"unable to parse requirement: values[0][k]: Invalid value: \"ü\": {ValueRule}" },
        { "k=a\u00a0b", $"unable to parse requirement: values[0][k]: Invalid value: \"a\\u00a0b\": {ValueRule}" },
        { "k=a\u0001", $"unable to parse requirement: values[0][k]: Invalid value: \"a\\x01\": {ValueRule}" },
        // Only the first failing requirement is reported.
        { "a=1,b=-x,-c", $"unable to parse requirement: values[0][b]: Invalid value: \"-x\": {ValueRule}" },
    };

    [Theory]
    [MemberData(nameof(BadSelectors))]
    public void Bad_selectors_fail_with_the_api_servers_message(string selector, string message)
    {
        var exception = Assert.Throws<SelectorParseException>(() => LabelSelector.Parse(selector));
        Assert.Equal(message, exception.Message);

        Assert.False(LabelSelector.TryParse(selector, out var result, out var error));
        Assert.Equal(message, error);
        Assert.Same(LabelSelector.Everything, result);
    }

    [Fact]
    public void TryParse_succeeds_without_an_error()
    {
        Assert.True(LabelSelector.TryParse("a in (b)", out var result, out var error));
        Assert.Null(error);
        Assert.Equal("a in (b)", result.ToString());
    }

    [Fact]
    public void Parse_exception_is_a_format_exception()
    {
        Assert.IsAssignableFrom<FormatException>(Assert.Throws<SelectorParseException>(() => LabelSelector.Parse("x y")));
    }

    [Fact]
    public void A_nul_character_ends_the_input_like_upstreams_byte_lexer()
    {
        // Go's lexer reads 0 as end of string.
        Assert.Equal("a", LabelSelector.Parse("a\0").ToString());
        // A NUL that ends an identifier is consumed, so lexing resumes after it.
        Assert.Equal("a=b,c", LabelSelector.Parse("a=b\0,c").ToString());
    }

    [Fact]
    public void Longest_valid_keys_and_values_are_accepted()
    {
        var key = new string('p', 253) + "/" + new string('n', 63);
        var value = new string('v', 63);
        var parsed = LabelSelector.Parse($"{key}={value}");
        Assert.Equal(key, parsed.Requirements[0].Key);
        Assert.Equal(value, parsed.Requirements[0].Values[0]);
    }

    [Fact]
    public void Selectors_with_the_same_canonical_form_are_equal()
    {
        Assert.Equal(LabelSelector.Parse("b, a in (y,x)"), LabelSelector.Parse("a in (x,y),b"));
        Assert.Equal(LabelSelector.Parse("b,a").GetHashCode(), LabelSelector.Parse("a,b").GetHashCode());
        Assert.NotEqual(LabelSelector.Parse("a=1"), LabelSelector.Parse("a==1"));
        Assert.NotEqual(LabelSelector.Parse("a"), LabelSelector.Everything);
        Assert.Equal(LabelSelector.Everything, LabelSelector.Parse("  "));
    }
}
