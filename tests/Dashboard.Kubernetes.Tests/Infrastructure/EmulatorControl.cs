using System.Net.Http.Json;
using System.Text.Json;
using Dashboard.Emulator;

namespace Dashboard.Kubernetes.Tests.Infrastructure;

/// <summary>The emulator's control endpoints over HTTP.</summary>
public sealed class EmulatorControl(Uri baseAddress) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseAddress };

    public HttpClient Http => _http;

    public async Task SetFaultsAsync(FaultSettings faults)
    {
        using var response = await _http.PutAsJsonAsync("emulator/faults", faults);
        response.EnsureSuccessStatusCode();
    }

    public async Task ClearFaultsAsync()
    {
        using var content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        using var response = await _http.PutAsync("emulator/faults", content);
        response.EnsureSuccessStatusCode();
    }

    public async Task CompactAsync()
    {
        using var response = await _http.PostAsync("emulator/compact", null);
        response.EnsureSuccessStatusCode();
    }

    public async Task<JsonElement> StatsAsync()
    {
        using var document = JsonDocument.Parse(await _http.GetStringAsync("emulator/stats"));
        return document.RootElement.Clone();
    }

    public static int Count(JsonElement stats, string section, string key) =>
        stats.TryGetProperty(section, out var values) && values.TryGetProperty(key, out var value) ? value.GetInt32() : 0;

    public void Dispose() => _http.Dispose();
}
