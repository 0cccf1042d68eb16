using System.Net;
using System.Text.Json;
using Dashboard.Emulator;
using Dashboard.Tests.Infrastructure;

namespace Dashboard.Tests.Api;

/// <summary>A job asked for before its namespace's cache ever synced: the cache cannot know it is missing, so no 404.</summary>
public sealed class JobDetailBeforeSyncTests
{
    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetWhenCacheFailedAsync(EmulatorOptions emulatorOptions, string failure)
    {
        await using var emulator = await EmulatorHost.StartAsync(emulatorOptions);
        using var folder = new TempFolder("detail-before-sync-");
        using var app = ApiTestApp.WithKubeConfig(emulator.BaseAddress, folder);
        using var client = app.CreateClient();
        await ApiWait.UntilAsync(
            async () =>
            {
                using var response = await client.GetAsync("/readyz");
                using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                return document.RootElement.GetProperty("reason").GetString() ?? "";
            },
            reason => reason.Contains(failure, StringComparison.Ordinal),
            "the cache reports " + failure);

        using var detail = await client.GetAsync("/api/jobs/team-a/some-job");
        using var body = JsonDocument.Parse(await detail.Content.ReadAsStringAsync());
        return (detail.StatusCode, body.RootElement.Clone());
    }

    private static EmulatorOptions Quiet() => new() { Namespaces = ["team-a"], Jobs = 0, EventsPerSecond = 0, IncludeExampleJob = false };

    [Fact]
    public async Task Unauthorized_passes_through_as_401_with_the_apis_reason()
    {
        var (status, body) = await GetWhenCacheFailedAsync(Quiet() with { Token = "the-real-token" }, "Unauthorized");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("Status", body.GetProperty("kind").GetString());
        Assert.Equal("Unauthorized", body.GetProperty("reason").GetString());
        Assert.Equal(401, body.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task A_missing_crd_is_503_with_the_reason()
    {
        var (status, body) = await GetWhenCacheFailedAsync(Quiet() with { WithoutCrd = true }, "CrdNotInstalled");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("ServiceUnavailable", body.GetProperty("reason").GetString());
        Assert.Contains("CrdNotInstalled 404", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_errors_before_the_first_sync_are_503_not_404()
    {
        var (status, body) = await GetWhenCacheFailedAsync(Quiet() with { Faults = new FaultSettings(FailRate: 1.0) }, "Reconnecting");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("ServerError 500", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
