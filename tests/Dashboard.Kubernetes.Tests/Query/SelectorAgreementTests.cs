using System.Text.Json;
using Dashboard.Kubernetes.Tests.Infrastructure;
using Dashboard.Model.Selectors;

namespace Dashboard.Kubernetes.Tests.Query;

/// <summary>
/// The label selector a subscriber gives is evaluated locally on the cache; it must agree with the emulator's
/// server-side filtering of the same list, parse errors and their messages included. The emulator parses with the
/// same Dashboard.Model selectors, so this pins the cache path to the list path (a selector means the same in a
/// snapshot, in watch batches and in a LIST); what a selector means is pinned by the tables ported from
/// apimachinery in Dashboard.Model.Tests (LabelSelectorMatchTests, LabelSelectorParseTests).
/// </summary>
public sealed class SelectorAgreementTests
{
    private static readonly string[] Keys = ["app", "tier", "x.io/team", "n", "empty"];
    private static readonly string[] Values = ["a", "b", "gold", "1", "10", "", "x-y.z"];
    private static readonly string[] Broken = ["app in (", "app=)", "=a", "app b", "app,", "app in (a,", "!app=b", "app>b", "Ap p", "app notin a", "app in ()x", new string('k', 64) + "=v", "app=" + new string('v', 64), "app==a==b", "(app)", "app in (a b)", "-app=1", "app!", "x.io/=a"];

    [Fact]
    public async Task Local_matching_agrees_with_the_servers_filtering_for_thousands_of_selectors()
    {
        var random = new Random(7);
        await using var test = await TestService.StartAsync(TestService.QuietEmulator("sel"));
        for (var i = 0; i < 60; i++)
        {
            var labels = new Dictionary<string, string>();
            foreach (var key in Keys)
            {
                if (random.Next(3) != 0)
                {
                    labels[key] = Values[random.Next(Values.Length)];
                }
            }

            test.Emulator.Store.Create(Jobs.Create("sel", $"job-{i}", labels));
        }

        // Keep the cache warm across the subscriptions below.
        await using var warm = new SubscriberState(await test.Service.SubscribeAsync("sel", null, CancellationToken.None));
        await Wait.UntilAsync(() => warm.Sync.Phase == Kubernetes.Query.SyncPhase.Live, "the cache is live");

        var compared = 0;
        var errors = 0;
        for (var i = 0; i < 1500; i++)
        {
            var selector = RandomSelector(random);
            var server = await ServerListAsync(test, selector);
            try
            {
                await using var subscription = await test.Service.SubscribeAsync("sel", selector, CancellationToken.None);
                var local = subscription.Snapshot.Jobs.Select(j => j.Name).Order(StringComparer.Ordinal).ToArray();
                Assert.True(server.Names is not null, $"'{selector}': the server refused ({server.Error}) but it parsed locally");
                Assert.True(server.Names!.SequenceEqual(local), $"'{selector}': server [{string.Join(',', server.Names!)}] vs local [{string.Join(',', local)}]");
            }
            catch (SelectorParseException exception)
            {
                Assert.True(server.Error is not null, $"'{selector}': parsed by the server, refused locally: {exception.Message}");
                Assert.Equal(server.Error, exception.Message);
                errors++;
            }

            compared++;
        }

        Assert.Equal(1500, compared);
        Assert.InRange(errors, 100, 1400);
    }

    private static async Task<(string[]? Names, string? Error)> ServerListAsync(TestService test, string selector)
    {
        using var response = await test.Control.Http.GetAsync($"apis/kubeflow.org/v1/namespaces/sel/pytorchjobs?labelSelector={Uri.EscapeDataString(selector)}");
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        if ((int)response.StatusCode == 400)
        {
            return (null, document.RootElement.GetProperty("message").GetString());
        }

        response.EnsureSuccessStatusCode();
        var names = document.RootElement.GetProperty("items").EnumerateArray()
            .Select(item => item.GetProperty("metadata").GetProperty("name").GetString()!)
            .Order(StringComparer.Ordinal)
            .ToArray();
        return (names, null);
    }

    private static string RandomSelector(Random random)
    {
        if (random.Next(8) == 0)
        {
            return Broken[random.Next(Broken.Length)];
        }

        var parts = new List<string>();
        var count = random.Next(1, 4);
        for (var i = 0; i < count; i++)
        {
            var key = Keys[random.Next(Keys.Length)];
            string Value() => Values[random.Next(Values.Length)];
            parts.Add(random.Next(9) switch
            {
                0 => $"{key}={Value()}",
                1 => $"{key}=={Value()}",
                2 => $"{key}!={Value()}",
                3 => $"{key} in ({Value()},{Value()})",
                4 => $"{key} notin ({Value()})",
                5 => key,
                6 => "!" + key,
                7 => $"{key}>{random.Next(0, 12)}",
                _ => $"{key} < {(random.Next(5) == 0 ? "x" : random.Next(0, 12).ToString(System.Globalization.CultureInfo.InvariantCulture))}",
            });
        }

        return string.Join(random.Next(4) == 0 ? " , " : ",", parts);
    }
}
