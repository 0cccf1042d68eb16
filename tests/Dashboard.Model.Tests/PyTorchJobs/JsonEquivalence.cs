using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;

namespace Dashboard.Model.Tests.PyTorchJobs;

/// <summary>
/// Compares two JSON trees: same keys (order ignored), same array order, same values. One difference
/// is allowed where quantities live (resource limits/requests, minResources, metric targets): a bare JSON
/// number on one side and a string on the other, when both are the same amount — KubernetesClient's
/// ResourceQuantity reads <c>"cpu": 2</c> and always writes the string <c>"2"</c>.
/// </summary>
internal static class JsonEquivalence
{
    /// <summary>Returns the differences as "path: reason" lines (empty when equivalent).</summary>
    public static List<string> Differences(JsonNode? expected, JsonNode? actual)
    {
        var differences = new List<string>();
        Compare(expected, actual, "$", parentProperty: null, property: null, differences);
        return differences;
    }

    /// <summary>Fails the test with every difference listed.</summary>
    public static void AssertEquivalent(string expectedJson, string actualJson)
    {
        var differences = Differences(JsonNode.Parse(expectedJson), JsonNode.Parse(actualJson));
        Assert.True(differences.Count == 0, "JSON differs after the round trip:\n" + string.Join("\n", differences));
    }

    private static void Compare(JsonNode? expected, JsonNode? actual, string path, string? parentProperty, string? property, List<string> differences)
    {
        switch (expected, actual)
        {
            case (null, null):
                return;
            case (JsonObject expectedObject, JsonObject actualObject):
                foreach (var (key, value) in expectedObject)
                {
                    if (!actualObject.TryGetPropertyValue(key, out var actualValue))
                    {
                        differences.Add($"{path}.{key}: missing after the round trip");
                        continue;
                    }

                    Compare(value, actualValue, $"{path}.{key}", property, key, differences);
                }

                foreach (var (key, _) in actualObject)
                {
                    if (!expectedObject.ContainsKey(key))
                    {
                        differences.Add($"{path}.{key}: added by the round trip");
                    }
                }

                return;
            case (JsonArray expectedArray, JsonArray actualArray):
                if (expectedArray.Count != actualArray.Count)
                {
                    differences.Add($"{path}: {expectedArray.Count} items became {actualArray.Count}");
                    return;
                }

                for (var i = 0; i < expectedArray.Count; i++)
                {
                    Compare(expectedArray[i], actualArray[i], $"{path}[{i}]", parentProperty: null, property: null, differences);
                }

                return;
            case (JsonValue expectedValue, JsonValue actualValue):
                if (!ValuesEquivalent(expectedValue, actualValue, IsQuantity(parentProperty, property)))
                {
                    differences.Add($"{path}: {expectedValue.ToJsonString()} became {actualValue.ToJsonString()}");
                }

                return;
            default:
                differences.Add($"{path}: {expected?.ToJsonString() ?? "null"} became {actual?.ToJsonString() ?? "null"}");
                return;
        }
    }

    private static bool IsQuantity(string? parentProperty, string? property) =>
        parentProperty is "limits" or "requests" or "minResources"
        || (parentProperty == "target" && property is "value" or "averageValue");

    private static bool ValuesEquivalent(JsonValue expected, JsonValue actual, bool isQuantity)
    {
        var expectedKind = expected.GetValueKind();
        var actualKind = actual.GetValueKind();
        if (expectedKind == actualKind)
        {
            return expectedKind == JsonValueKind.Number
                ? expected.GetValue<decimal>() == actual.GetValue<decimal>()
                : JsonNode.DeepEquals(expected, actual);
        }

        // The quantity allowance: number in, string out (or the reverse), same amount.
        if (isQuantity && (expectedKind, actualKind) is (JsonValueKind.Number, JsonValueKind.String) or (JsonValueKind.String, JsonValueKind.Number))
        {
            var number = expectedKind == JsonValueKind.Number ? expected : actual;
            var text = expectedKind == JsonValueKind.String ? expected : actual;
            var asQuantity = new ResourceQuantity(number.ToJsonString()).ToDecimal();
            return asQuantity == new ResourceQuantity(text.GetValue<string>()).ToDecimal()
                && asQuantity == decimal.Parse(number.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        return false;
    }
}
