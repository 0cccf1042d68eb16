using Bunit;
using Dashboard.Components.Controls;

namespace Dashboard.Tests.Components;

public sealed class SelectorBoxTests : DashboardTestContext
{
    private readonly List<string> _applied = [];

    private IRenderedComponent<SelectorBox> RenderBox(string? value = null) =>
        Render<SelectorBox>(ps => ps.Add(p => p.Value, value).Add(p => p.ValueChanged, (string s) => _applied.Add(s)));

    [Fact]
    public void Enter_applies_a_valid_selector()
    {
        var cut = RenderBox();

        cut.Find("[data-testid=selector-input]").Input("team=vision,tier notin (cpu),!canary");
        Assert.Empty(cut.FindAll("[data-testid=selector-error]"));
        Assert.NotNull(cut.Find("[data-testid=selector-pending]"));
        cut.Find("[data-testid=selector-input]").KeyDown("Enter");

        Assert.Equal(["team=vision,tier notin (cpu),!canary"], _applied);
    }

    [Fact]
    public void A_valid_selector_applies_by_itself_after_a_pause()
    {
        var cut = RenderBox();

        cut.Find("[data-testid=selector-input]").Input("team=vision");
        Assert.Empty(_applied);
        Clock.Advance(SelectorBox.DebounceDelay);

        cut.WaitForAssertion(() => Assert.Equal(["team=vision"], _applied), WaitTimeout);
    }

    [Theory]
    [InlineData("team in (vision")]
    [InlineData("=x")]
    [InlineData("a==b==c")]
    public void A_malformed_selector_shows_the_parse_message_and_is_not_applied(string selector)
    {
        var cut = RenderBox();

        cut.Find("[data-testid=selector-input]").Input(selector);
        cut.Find("[data-testid=selector-input]").KeyDown("Enter");
        Clock.Advance(SelectorBox.DebounceDelay * 2);

        var expected = Dashboard.Model.Selectors.LabelSelector.TryParse(selector, out _, out var error) ? null : error;
        Assert.NotNull(expected);
        Assert.Equal(expected, cut.Find("[data-testid=selector-error]").TextContent);
        Assert.Empty(_applied);
    }

    [Fact]
    public void Fixing_the_text_clears_the_error()
    {
        var cut = RenderBox();
        cut.Find("[data-testid=selector-input]").Input("team in (vision");
        Assert.NotNull(cut.Find("[data-testid=selector-error]"));

        cut.Find("[data-testid=selector-input]").Input("team in (vision)");

        Assert.Empty(cut.FindAll("[data-testid=selector-error]"));
    }

    [Fact]
    public void Escape_restores_the_applied_selector()
    {
        var cut = RenderBox("team=vision");
        cut.Find("[data-testid=selector-input]").Input("oops (");

        cut.Find("[data-testid=selector-input]").KeyDown("Escape");

        Assert.Equal("team=vision", cut.Find("[data-testid=selector-input]").GetAttribute("value"));
        Assert.Empty(cut.FindAll("[data-testid=selector-error]"));
    }

    [Fact]
    public void The_input_is_labelled()
    {
        var cut = RenderBox();

        Assert.Equal("label-selector", cut.Find("label").GetAttribute("for"));
        Assert.Equal("label-selector", cut.Find("[data-testid=selector-input]").Id);
    }
}
