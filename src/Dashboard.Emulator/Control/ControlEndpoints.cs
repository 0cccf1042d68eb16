using System.Text.Json;
using Dashboard.Emulator.Api;
using Dashboard.Emulator.Errors;

namespace Dashboard.Emulator.Control;

/// <summary>What the scenario exposes to the control endpoints.</summary>
internal interface IScenarioControl
{
    void Pause();
    void Resume();
    bool IsPaused { get; }
}

/// <summary>/emulator/*: stats, scenario pause/resume, faults, compaction. Outside the Kubernetes paths: no token, no faults.</summary>
internal static class ControlEndpoints
{
    public const string Prefix = "/emulator/";

    public static async Task HandleAsync(HttpContext http, ApiContext api, IScenarioControl? scenario)
    {
        var path = http.Request.Path.Value ?? "";
        var method = http.Request.Method;
        switch (path)
        {
            case "/emulator/stats" when HttpMethods.IsGet(method):
                await JsonResponses.WriteAsync(http, 200, w => StatsWriter.Write(w, api.Store, api.Stats));
                return;
            case "/emulator/scenario/pause" when HttpMethods.IsPost(method):
                scenario?.Pause();
                await WriteScenarioStateAsync(http, scenario);
                return;
            case "/emulator/scenario/resume" when HttpMethods.IsPost(method):
                scenario?.Resume();
                await WriteScenarioStateAsync(http, scenario);
                return;
            case "/emulator/faults" when HttpMethods.IsPut(method) || HttpMethods.IsPost(method):
                api.Faults.Settings = await ReadFaultsAsync(http.Request);
                await WriteFaultsAsync(http, api);
                return;
            case "/emulator/faults" when HttpMethods.IsGet(method):
                await WriteFaultsAsync(http, api);
                return;
            case "/emulator/compact" when HttpMethods.IsPost(method):
                api.Store.Compact();
                await JsonResponses.WriteAsync(http, 200, w =>
                {
                    w.WriteStartObject();
                    w.WriteString("compactedAt", api.Store.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    w.WriteEndObject();
                });
                return;
            default:
                throw ApiErrors.UnknownPath();
        }
    }

    private static async Task<FaultSettings> ReadFaultsAsync(HttpRequest request)
    {
        var body = await RequestBody.ReadBytesAsync(request);
        if (body.Length == 0)
        {
            return new FaultSettings();
        }

        try
        {
            return JsonSerializer.Deserialize(body, ControlJson.Default.FaultSettings) ?? new FaultSettings();
        }
        catch (JsonException e)
        {
            throw ApiErrors.BadRequest($"invalid fault settings: {e.Message}");
        }
    }

    private static Task WriteFaultsAsync(HttpContext http, ApiContext api) =>
        JsonResponses.WriteAsync(http, 200, w => JsonSerializer.Serialize(w, api.Faults.Settings, ControlJson.Default.FaultSettings));

    private static Task WriteScenarioStateAsync(HttpContext http, IScenarioControl? scenario) =>
        JsonResponses.WriteAsync(http, 200, w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("paused", scenario?.IsPaused ?? true);
            w.WriteEndObject();
        });
}

[System.Text.Json.Serialization.JsonSerializable(typeof(FaultSettings))]
internal sealed partial class ControlJson : System.Text.Json.Serialization.JsonSerializerContext;
