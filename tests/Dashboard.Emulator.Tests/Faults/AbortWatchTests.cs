using System.Text.Json.Nodes;
using Dashboard.Emulator.Hosting;
using Dashboard.Emulator.Tests.Infrastructure;

namespace Dashboard.Emulator.Tests.Faults;

public sealed class AbortWatchTests
{
    [Fact]
    public async Task AbortWatchAfter_DeliversThatManyEvents_ThenResetsTheConnection()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o with { Faults = new FaultSettings(AbortWatchAfter: 2) });
        TestEmulator.Seed(emulator, 5);
        using var http = TestEmulator.Http(emulator);

        // A warm connection first, so the events are read within the emulator's drain time before the reset.
        await WireReader.GetJsonAsync(http, "emulator/stats");
        using var response = await http.GetAsync("apis/kubeflow.org/v1/namespaces/team-a/pytorchjobs?watch=true", HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(stream);
        var lines = new List<JsonObject>();

        // Not a clean end of stream (that is cutWatchAfter): reading past the last event fails.
        var failure = await Record.ExceptionAsync(async () =>
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                lines.Add(JsonNode.Parse(line)!.AsObject());
            }
        });

        Assert.IsAssignableFrom<IOException>(failure);
        Assert.Equal(2, lines.Count);
        Assert.All(lines, l => Assert.Equal("ADDED", WireReader.Type(l)));
        var (_, stats) = await WireReader.GetJsonAsync(http, "emulator/stats");
        Assert.Equal(1, (int?)stats["faultsServed"]);
    }

    [Fact]
    public void AbortWatchAfter_IsSetByItsFlagAndItsJsonName()
    {
        Assert.Equal(3, CommandLine.Parse(["--abort-watch-after", "3"]).Faults.AbortWatchAfter);
        var parsed = System.Text.Json.JsonSerializer.Deserialize<FaultSettings>("""{"abortWatchAfter":4}""");
        Assert.Equal(new FaultSettings(AbortWatchAfter: 4), parsed);
    }
}
