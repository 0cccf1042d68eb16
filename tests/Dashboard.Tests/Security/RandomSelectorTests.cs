using System.Net;
using System.Text.Json;
using Dashboard.Hubs;
using Dashboard.Model.Selectors;
using Dashboard.Tests.Hubs;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Dashboard.Tests.Security;

/// <summary>
/// 10,000 generated selector strings — valid ones, near misses and noise — through the jobs page (server render),
/// the JSON API and the hub: each one either works or is refused with the parser's own message; never a 500.
/// </summary>
public sealed class RandomSelectorTests(EmulatorHubFixture fixture) : IClassFixture<EmulatorHubFixture>
{
    private const int Count = 10_000;
    private const string Namespace = "hub-e";
    private static readonly IReadOnlyList<string> Selectors = Generate(Count, seed: 20261127);

    [Fact]
    public void The_generated_selectors_mix_valid_and_malformed_ones()
    {
        var valid = Selectors.Count(s => LabelSelector.TryParse(s, out _, out _));

        // At least a tenth of each kind, so both paths are exercised thousands of times.
        Assert.InRange(valid, Count / 10, Count * 9 / 10);
    }

    [Fact]
    public async Task The_json_api_answers_each_with_its_jobs_or_the_parse_message()
    {
        using var http = new HttpClient { BaseAddress = fixture.Server.BaseAddress };

        await ForEachAsync(async selector =>
        {
            using var response = await http.GetAsync($"/api/jobs?namespace={Namespace}&labelSelector={Uri.EscapeDataString(selector)}");
            var body = await response.Content.ReadAsStringAsync();
            if (LabelSelector.TryParse(selector, out _, out var error))
            {
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{selector} → {(int)response.StatusCode} {body}");
            }
            else
            {
                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{selector} → {(int)response.StatusCode} {body}");
                Assert.Equal(error, JsonDocument.Parse(body).RootElement.GetProperty("message").GetString());
            }
        });
    }

    [Fact]
    public async Task The_jobs_page_renders_each_with_the_parse_message_inline_when_malformed()
    {
        using var http = new HttpClient { BaseAddress = fixture.Server.BaseAddress };

        await ForEachAsync(async selector =>
        {
            using var response = await http.GetAsync($"/jobs?namespace={Namespace}&labelSelector={Uri.EscapeDataString(selector)}");
            var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{selector} → {(int)response.StatusCode}");
            if (!LabelSelector.TryParse(selector, out _, out var error))
            {
                Assert.True(html.Contains(error!, StringComparison.Ordinal), $"{selector}: the page does not show '{error}'");
            }
        });
    }

    [Fact]
    public async Task The_hub_streams_each_or_fails_the_call_with_the_parse_message()
    {
        await using var connection = await fixture.Server.ConnectAsync(HubProtocol.MessagePack);

        await ForEachAsync(async selector =>
        {
            var valid = LabelSelector.TryParse(selector, out _, out var error);
            try
            {
                await using var stream = connection.StreamAsync<JobStreamMessage>("StreamJobs", Namespace, selector).GetAsyncEnumerator();
                Assert.True(await stream.MoveNextAsync(), $"{selector}: the stream ended without a snapshot");
                Assert.True(valid, $"{selector} was streamed although it does not parse ({error})");
                Assert.Equal(JobStreamMessage.SnapshotKind, stream.Current.Kind);
            }
            catch (HubException exception)
            {
                Assert.False(valid, $"{selector} failed: {exception.Message}");
                Assert.EndsWith(error!, exception.Message, StringComparison.Ordinal);
            }
        });

        Assert.Equal(HubConnectionState.Connected, connection.State);
    }

    /// <summary>A few at a time, so 10,000 calls take seconds rather than minutes.</summary>
    private static Task ForEachAsync(Func<string, Task> check) =>
        Parallel.ForEachAsync(Selectors, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (selector, _) => await check(selector));

    private static List<string> Generate(int count, int seed)
    {
        string[] keys = ["team", "model", "app.kubernetes.io/name", "example.com/tier", "a", "x-y_z.1", "UPPER", "priority", "gpu", "-bad", "bad-", "a/b/c", "", new string('k', 64)];
        string[] values = ["nlp", "vision", "1", "42", "", "v_1.2-3", "high", "a", "-3", "a b", new string('v', 64), "x/y", "é"];
        string[] operators = ["=", "==", "!=", "<", ">"];
        string[] noise = ["(", ")", ",", "!", " ", "=", "\t", "<", ">", "é", "\"", "'", "\\", "%", "&&", "in", "notin", "<script>"];
        var random = new Random(seed);
        string Pick(string[] from) => from[random.Next(from.Length)];

        var selectors = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var requirements = new List<string>();
            for (var r = random.Next(1, 4); r > 0; r--)
            {
                var requirement = random.Next(6) switch
                {
                    0 => Pick(keys),
                    1 => "!" + Pick(keys),
                    2 => $"{Pick(keys)} in ({Pick(values)},{Pick(values)})",
                    3 => $"{Pick(keys)} notin ({Pick(values)})",
                    _ => Pick(keys) + Pick(operators) + Pick(values),
                };
                if (random.Next(6) == 0)
                {
                    var at = random.Next(requirement.Length + 1);
                    requirement = requirement[..at] + Pick(noise) + requirement[at..];
                }

                requirements.Add(requirement);
            }

            selectors.Add(string.Join(",", requirements));
        }

        return selectors;
    }
}
