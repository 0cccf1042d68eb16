using System.Text.Json.Nodes;

namespace Dashboard.Emulator.Validation;

/// <summary>
/// fieldValidation=Strict (kubectl's default): fields of the request that the type does not know are an error
/// instead of being dropped. Found by comparing the request with the typed object serialized back.
/// </summary>
internal static class UnknownFields
{
    public static string? FindFirst(JsonNode? request, JsonNode? typed, string path = "")
    {
        switch (request)
        {
            case JsonObject requestObject:
                var typedObject = typed as JsonObject;
                foreach (var (name, value) in requestObject)
                {
                    if (value is null)
                    {
                        continue;
                    }

                    var childPath = path.Length == 0 ? name : $"{path}.{name}";
                    if (typedObject is null || !typedObject.TryGetPropertyValue(name, out var typedValue))
                    {
                        return childPath;
                    }

                    if (FindFirst(value, typedValue, childPath) is { } unknown)
                    {
                        return unknown;
                    }
                }

                return null;
            case JsonArray requestArray when typed is JsonArray typedArray:
                for (var i = 0; i < requestArray.Count && i < typedArray.Count; i++)
                {
                    if (FindFirst(requestArray[i], typedArray[i], $"{path}[{i}]") is { } unknown)
                    {
                        return unknown;
                    }
                }

                return null;
            default:
                return null;
        }
    }
}
