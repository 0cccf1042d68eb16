using System.Globalization;
using System.Text.Json.Nodes;

namespace Dashboard.Emulator.Patching;

/// <summary>A JSON patch operation failed (bad path, failed test ...): the API server answers 422.</summary>
internal sealed class JsonPatchException(string message) : Exception(message);

/// <summary>RFC 6902 JSON patch: add, remove, replace, move, copy, test.</summary>
internal static class JsonPatch
{
    public static JsonNode? Apply(JsonNode? document, JsonArray operations)
    {
        foreach (var operation in operations)
        {
            if (operation is not JsonObject op)
            {
                throw new JsonPatchException("invalid JSON patch: an operation is not an object");
            }

            var name = op["op"]?.GetValue<string>() ?? throw new JsonPatchException("Unable to unmarshal op: missing op");
            var path = op["path"]?.GetValue<string>() ?? throw new JsonPatchException($"operation {name} is missing path");
            document = name switch
            {
                "add" => Add(document, path, Value(op)),
                "remove" => Remove(document, path, out _),
                "replace" => Add(Remove(document, path, out _), path, Value(op)),
                "move" => MoveOrCopy(document, From(op), path, move: true),
                "copy" => MoveOrCopy(document, From(op), path, move: false),
                "test" => Test(document, path, Value(op)),
                _ => throw new JsonPatchException($"Unexpected kind: {name}"),
            };
        }

        return document;
    }

    private static JsonNode? Value(JsonObject op) =>
        op.TryGetPropertyValue("value", out var value) ? value?.DeepClone() : throw new JsonPatchException("missing value");

    private static string From(JsonObject op) => op["from"]?.GetValue<string>() ?? throw new JsonPatchException("missing from");

    private static JsonNode? MoveOrCopy(JsonNode? document, string from, string path, bool move)
    {
        var value = Get(document, from)?.DeepClone();
        if (move)
        {
            document = Remove(document, from, out _);
        }

        return Add(document, path, value);
    }

    private static JsonNode? Test(JsonNode? document, string path, JsonNode? expected) =>
        JsonNode.DeepEquals(Get(document, path), expected) ? document : throw new JsonPatchException($"testing value {path} failed: test failed");

    private static JsonNode? Add(JsonNode? document, string path, JsonNode? value)
    {
        if (path.Length == 0)
        {
            return value;
        }

        var (parent, last) = Parent(document, path);
        switch (parent)
        {
            case JsonObject obj:
                obj[last] = value;
                break;
            case JsonArray array when last == "-":
                array.Add(value);
                break;
            case JsonArray array:
                var index = Index(last, array.Count + 1, path);
                array.Insert(index, value);
                break;
            default:
                throw new JsonPatchException($"add operation does not apply: doc is missing path: \"{path}\"");
        }

        return document;
    }

    private static JsonNode? Remove(JsonNode? document, string path, out JsonNode? removed)
    {
        var (parent, last) = Parent(document, path);
        switch (parent)
        {
            case JsonObject obj when obj.TryGetPropertyValue(last, out removed):
                obj.Remove(last);
                return document;
            case JsonArray array:
                var index = Index(last, array.Count, path);
                removed = array[index];
                array.RemoveAt(index);
                return document;
            default:
                throw new JsonPatchException($"remove operation does not apply: doc is missing path: \"{path}\"");
        }
    }

    private static JsonNode? Get(JsonNode? document, string path)
    {
        var node = document;
        foreach (var token in Tokens(path))
        {
            node = node switch
            {
                JsonObject obj when obj.TryGetPropertyValue(token, out var child) => child,
                JsonArray array => array[Index(token, array.Count, path)],
                _ => throw new JsonPatchException($"doc is missing path: \"{path}\""),
            };
        }

        return node;
    }

    private static (JsonNode? Parent, string Last) Parent(JsonNode? document, string path)
    {
        var tokens = Tokens(path);
        var parentPath = string.Concat(tokens.Take(tokens.Count - 1).Select(t => "/" + t.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)));
        return (Get(document, parentPath), tokens[^1]);
    }

    private static List<string> Tokens(string path)
    {
        if (path.Length == 0)
        {
            return [];
        }

        if (path[0] != '/')
        {
            throw new JsonPatchException($"invalid JSON pointer: \"{path}\"");
        }

        return path[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
    }

    private static int Index(string token, int count, string path) =>
        int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < count
            ? index
            : throw new JsonPatchException($"Unable to access invalid index: {token} in path \"{path}\"");
}
