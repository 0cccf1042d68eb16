using System.Text;
using System.Text.Json.Nodes;
using Dashboard.Emulator.Tests.Infrastructure;

namespace Dashboard.Emulator.Tests.Faults;

/// <summary>failStatus and retryAfterSeconds: injected failures answer as the API server words a 429, 503 or 504.</summary>
public sealed class ThrottlingFaultTests
{
    private const string ListPath = "apis/kubeflow.org/v1/namespaces/team-a/pytorchjobs";

    [Fact]
    public async Task A_429_fault_answers_toomanyrequests_with_retry_after_header_and_details()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var http = TestEmulator.Http(emulator);
        await PutFaultsAsync(http, """{"failRate":1,"failStatus":429,"retryAfterSeconds":7}""");

        var (code, retryAfter, body) = await GetAsync(http, ListPath + "?limit=5");

        Assert.Equal(429, code);
        Assert.Equal("7", retryAfter);
        Assert.Equal("Status", (string?)body["kind"]);
        Assert.Equal("v1", (string?)body["apiVersion"]);
        Assert.Equal("Failure", (string?)body["status"]);
        Assert.Equal("TooManyRequests", (string?)body["reason"]);
        Assert.Equal("Too many requests, please try again later.", (string?)body["message"]);
        Assert.Equal(7, (int?)body["details"]?["retryAfterSeconds"]);
        Assert.Equal(429, (int?)body["code"]);
    }

    [Fact]
    public async Task A_429_fault_also_refuses_watches_and_says_one_second_when_no_wait_is_set()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var http = TestEmulator.Http(emulator);
        await PutFaultsAsync(http, """{"failRate":1,"failStatus":429}""");

        var (code, retryAfter, body) = await GetAsync(http, ListPath + "?watch=true&resourceVersion=0");

        Assert.Equal(429, code);
        Assert.Equal("1", retryAfter);
        Assert.Equal("TooManyRequests", (string?)body["reason"]);
        Assert.Equal(1, (int?)body["details"]?["retryAfterSeconds"]);
        var (_, stats) = await WireReader.GetJsonAsync(http, "emulator/stats");
        Assert.Equal(1, (int?)stats["faultsServed"]);
        Assert.Equal(0, (int?)stats["requests"]?["watchesOpened"]);
    }

    [Fact]
    public async Task A_503_fault_carries_retry_after_only_when_set()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var http = TestEmulator.Http(emulator);

        await PutFaultsAsync(http, """{"failRate":1,"failStatus":503,"retryAfterSeconds":3}""");
        var (code, retryAfter, body) = await GetAsync(http, ListPath);
        Assert.Equal(503, code);
        Assert.Equal("3", retryAfter);
        Assert.Equal("ServiceUnavailable", (string?)body["reason"]);
        Assert.Equal(3, (int?)body["details"]?["retryAfterSeconds"]);
        Assert.Equal(503, (int?)body["code"]);

        await PutFaultsAsync(http, """{"failRate":1,"failStatus":503}""");
        (code, retryAfter, body) = await GetAsync(http, ListPath);
        Assert.Equal(503, code);
        Assert.Null(retryAfter);
        Assert.Null(body["details"]);
    }

    [Fact]
    public async Task A_504_fault_is_a_timeout_status_with_its_wait()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var http = TestEmulator.Http(emulator);
        await PutFaultsAsync(http, """{"failRate":1,"failStatus":504,"retryAfterSeconds":2}""");

        var (code, retryAfter, body) = await GetAsync(http, ListPath);

        Assert.Equal(504, code);
        Assert.Equal("2", retryAfter);
        Assert.Equal("Timeout", (string?)body["reason"]);
        Assert.Equal("Timeout: injected fault", (string?)body["message"]);
        Assert.Equal(2, (int?)body["details"]?["retryAfterSeconds"]);
    }

    [Fact]
    public async Task The_default_fault_is_still_a_500_without_retry_after()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o with { Faults = new FaultSettings(FailRate: 1) });
        using var http = TestEmulator.Http(emulator);

        var (code, retryAfter, body) = await GetAsync(http, ListPath);

        Assert.Equal(500, code);
        Assert.Null(retryAfter);
        Assert.Equal("InternalError", (string?)body["reason"]);
        Assert.Equal("Internal error occurred: injected fault", (string?)body["message"]);
        Assert.Null(body["details"]?["retryAfterSeconds"]);
    }

    [Fact]
    public async Task Fault_settings_round_trip_and_an_unsupported_status_is_refused_with_400()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var http = TestEmulator.Http(emulator);
        await PutFaultsAsync(http, """{"failRate":0.5,"failStatus":429,"retryAfterSeconds":4}""");

        var (_, faults) = await WireReader.GetJsonAsync(http, "emulator/faults");
        Assert.Equal(429, (int?)faults["failStatus"]);
        Assert.Equal(4, (int?)faults["retryAfterSeconds"]);

        using (var refused = await PutAsync(http, """{"failRate":1,"failStatus":418}"""))
        {
            Assert.Equal(400, (int)refused.StatusCode);
            var status = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!.AsObject();
            Assert.Equal("BadRequest", (string?)status["reason"]);
            Assert.Contains("failStatus 418", (string?)status["message"], StringComparison.Ordinal);
        }

        using (var negative = await PutAsync(http, """{"failRate":1,"failStatus":429,"retryAfterSeconds":-1}"""))
        {
            Assert.Equal(400, (int)negative.StatusCode);
        }

        // The refused settings did not replace the ones in force.
        (_, faults) = await WireReader.GetJsonAsync(http, "emulator/faults");
        Assert.Equal(0.5, (double?)faults["failRate"]);
        Assert.Equal(429, (int?)faults["failStatus"]);

        // {} clears everything, failStatus back to 500.
        await PutFaultsAsync(http, "{}");
        (_, faults) = await WireReader.GetJsonAsync(http, "emulator/faults");
        Assert.Equal(500, (int?)faults["failStatus"]);
        Assert.Null(faults["retryAfterSeconds"]);
        Assert.Equal(new FaultSettings(FailStatus: 429, RetryAfterSeconds: 2), System.Text.Json.JsonSerializer.Deserialize<FaultSettings>("""{"failStatus":429,"retryAfterSeconds":2}"""));
    }

    [Fact]
    public async Task Throttling_picks_only_a_fraction_of_requests_and_never_the_control_endpoints()
    {
        await using var emulator = await TestEmulator.StartAsync();
        TestEmulator.Seed(emulator, 3);
        using var http = TestEmulator.Http(emulator);
        await PutFaultsAsync(http, """{"failRate":0.5,"failStatus":429,"retryAfterSeconds":1}""");

        var codes = new List<int>();
        for (var i = 0; i < 60; i++)
        {
            codes.Add((await GetAsync(http, ListPath)).Code);
        }

        Assert.All(codes, c => Assert.True(c is 200 or 429, $"unexpected {c}"));
        Assert.Contains(200, codes);
        Assert.Contains(429, codes);
        var (statsCode, stats) = await WireReader.GetJsonAsync(http, "emulator/stats");
        Assert.Equal(200, statsCode);
        Assert.Equal(codes.Count(c => c == 429), (int?)stats["faultsServed"]);
    }

    private static async Task<(int Code, string? RetryAfter, JsonObject Body)> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        var retryAfter = response.Headers.TryGetValues("Retry-After", out var values) ? string.Join(",", values) : null;
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        return ((int)response.StatusCode, retryAfter, body);
    }

    private static async Task PutFaultsAsync(HttpClient http, string json)
    {
        using var response = await PutAsync(http, json);
        Assert.Equal(200, (int)response.StatusCode);
    }

    private static async Task<HttpResponseMessage> PutAsync(HttpClient http, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        return await http.PutAsync("emulator/faults", content);
    }
}
