using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Dashboard.Emulator.Tests.Infrastructure;

/// <summary>Reads raw HTTP answers: Status bodies and watch streams line by line, to check the exact wire format.</summary>
internal static class WireReader
{
    public static async Task<(int Code, JsonObject Body)> GetJsonAsync(HttpClient http, string path, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null)
        {
            request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(accept));
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonNode.Parse(text)!.AsObject());
    }

    /// <summary>Every event line of a watch until the server ends it (or the limit of lines is reached).</summary>
    public static async Task<List<JsonObject>> WatchLinesAsync(HttpClient http, string path, int maxLines = int.MaxValue, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal(200, (int)response.StatusCode);
        await using var stream = await response.Content.ReadAsStreamAsync(cts.Token);
        using var reader = new StreamReader(stream);
        var lines = new List<JsonObject>();
        while (lines.Count < maxLines && await reader.ReadLineAsync(cts.Token) is { } line)
        {
            lines.Add(JsonNode.Parse(line)!.AsObject());
        }

        return lines;
    }

    public static string Type(JsonObject watchEvent) => watchEvent["type"]!.GetValue<string>();

    public static string? Name(JsonObject watchEvent) => watchEvent["object"]?["metadata"]?["name"]?.GetValue<string>();
}
