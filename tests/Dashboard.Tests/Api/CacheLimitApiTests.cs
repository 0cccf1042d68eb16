using System.Net;
using System.Text.Json;

namespace Dashboard.Tests.Api;

/// <summary>Past Kubernetes:MaxCaches the JSON API answers 503 with the reason, and starts no cache.</summary>
public sealed class CacheLimitApiTests
{
    [Fact]
    public async Task A_namespace_past_the_limit_is_a_503_status_with_the_reason()
    {
        // The two configured namespaces are kept warm: with a limit of 2, a third has no room.
        using var app = new ApiTestApp(new Dictionary<string, string>
        {
            ["Kubernetes:Mode"] = "Emulator",
            ["Kubernetes:Namespaces:0"] = "kube-test",
            ["Kubernetes:Namespaces:1"] = "team-a",
            ["Kubernetes:MaxCaches"] = "2",
            ["Emulator:Namespaces:0"] = "team-a",
            ["Emulator:Namespaces:1"] = "team-b",
            ["Emulator:Jobs"] = "4",
            ["Emulator:EventsPerSecond"] = "0",
        });
        using var client = app.CreateClient();

        foreach (var path in new[] { "/api/jobs?namespace=team-b", "/api/jobs/team-b/some-job" })
        {
            using var response = await client.GetAsync(path);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("ServiceUnavailable", body.RootElement.GetProperty("reason").GetString());
            Assert.Contains("Kubernetes:MaxCaches", body.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        using var warm = await client.GetAsync("/api/jobs?namespace=team-a");
        Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
    }
}
