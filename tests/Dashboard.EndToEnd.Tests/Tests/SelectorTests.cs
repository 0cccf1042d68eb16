using System.Globalization;
using System.Text.RegularExpressions;
using Dashboard.EndToEnd.Tests.Infrastructure;
using Dashboard.Model.Selectors;
using static Microsoft.Playwright.Assertions;

namespace Dashboard.EndToEnd.Tests.Tests;

/// <summary>The label selector box: it narrows the grid and the URL, and a malformed selector is reported, not applied.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class SelectorTests(EndToEndFixture fixture)
{
    private const string Namespace = "team-a";
    private const string Malformed = "team in (a";

    [Fact]
    public Task Typing_a_selector_narrows_the_grid_and_the_url_and_a_malformed_one_shows_its_error_while_rows_stay() =>
        fixture.RunInBrowserAsync(nameof(Typing_a_selector_narrows_the_grid_and_the_url_and_a_malformed_one_shows_its_error_while_rows_stay), async session =>
        {
            var all = await fixture.Api.ListAsync(Namespace);
            var (key, value) = LabelSplittingTheJobs(all.Select(j => j.Metadata.Labels));
            var selector = $"{key}={value}";
            // The API server's own answer is what the grid must show.
            var expected = (await fixture.Api.ListAsync(Namespace, selector)).Select(j => $"{Namespace}/{j.Metadata.Name}").Order(StringComparer.Ordinal).ToArray();
            Assert.InRange(expected.Length, 1, all.Count - 1);

            var page = session.Page;
            await session.GotoAsync($"/jobs?namespace={Namespace}");
            await Expect(Hooks.Banner(page)).ToHaveAttributeAsync("data-phase", "Live");
            await Expect(Hooks.Grid(page)).ToHaveAttributeAsync("data-row-count", Count(all.Count));

            await Hooks.SelectorInput(page).FillAsync(selector);
            await Expect(page).ToHaveURLAsync(new Regex("[?&]labelSelector=" + Regex.Escape(Uri.EscapeDataString(selector)) + "(&|$)"));
            await Expect(Hooks.Grid(page)).ToHaveAttributeAsync("data-row-count", Count(expected.Length));
            await Expect(Hooks.Rows(page)).ToHaveCountAsync(expected.Length);
            var shown = await Hooks.Rows(page).EvaluateAllAsync<string[]>("rows => rows.map(r => r.getAttribute('data-job'))");
            Assert.Equal(expected, shown.Order(StringComparer.Ordinal).ToArray());
            var urlWithSelector = page.Url;

            // Malformed: the parser's message inline, the grid and the URL untouched, even on Enter.
            Assert.False(LabelSelector.TryParse(Malformed, out _, out var parseError));
            await Hooks.SelectorInput(page).FillAsync(Malformed);
            await Expect(Hooks.SelectorError(page)).ToHaveTextAsync(parseError!);
            await Expect(Hooks.SelectorInput(page)).ToHaveAttributeAsync("aria-invalid", "true");
            await Hooks.SelectorInput(page).PressAsync("Enter");
            await Expect(Hooks.SelectorError(page)).ToHaveTextAsync(parseError!);
            await Expect(Hooks.Rows(page)).ToHaveCountAsync(expected.Length);
            await Expect(Hooks.Grid(page)).ToHaveAttributeAsync("data-row-count", Count(expected.Length));
            Assert.Equal(urlWithSelector, page.Url);

            // The narrowed URL is shareable: opened fresh, it shows the same rows.
            var shared = await session.NewPageAsync();
            await BrowserSession.GotoAsync(shared, urlWithSelector);
            await Expect(Hooks.SelectorInput(shared)).ToHaveValueAsync(selector);
            await Expect(Hooks.Grid(shared)).ToHaveAttributeAsync("data-row-count", Count(expected.Length));
        });

    /// <summary>A label that some jobs have and some do not, so filtering by it visibly narrows.</summary>
    private static (string Key, string Value) LabelSplittingTheJobs(IEnumerable<IDictionary<string, string>?> labelSets)
    {
        var sets = labelSets.Select(l => l ?? new Dictionary<string, string>()).ToArray();
        var candidates =
            from set in sets
            from label in set
            group label by (label.Key, label.Value) into g
            let count = g.Count()
            where count > 0 && count < sets.Length
            orderby g.Key.Key == "priority" descending, count descending, g.Key.Key, g.Key.Value
            select g.Key;
        return candidates.FirstOrDefault() is { Key: not null } found
            ? found
            : throw new InvalidOperationException("The scenario's jobs have no label that splits them; change the seed.");
    }

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);
}
