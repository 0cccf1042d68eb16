using Dashboard.Emulator.Serialization;

namespace Dashboard.Emulator.Api;

/// <summary>Whether the client asked for a meta.k8s.io Table (kubectl get does) and what its rows carry.</summary>
internal static class TableRequest
{
    public static bool Wants(HttpRequest request) =>
        request.Headers.Accept.Any(value => value is not null && value.Contains("as=Table", StringComparison.Ordinal));

    public static IncludeObject IncludeObject(HttpRequest request) => request.Query["includeObject"].ToString() switch
    {
        "None" => Serialization.IncludeObject.None,
        "Object" => Serialization.IncludeObject.Object,
        _ => Serialization.IncludeObject.Metadata,
    };
}
