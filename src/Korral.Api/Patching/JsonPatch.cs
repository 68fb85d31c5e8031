using System.Globalization;
using System.Text.Json.Nodes;

namespace Korral.Api.Patching;

/// <summary>JSON Patch (RFC 6902): add, remove, replace, move, copy and test on JSON Pointer paths.</summary>
public static class JsonPatch
{
    public static JsonNode? Apply(JsonNode? document, JsonArray operations)
    {
        var root = new JsonObject { ["doc"] = document?.DeepClone() };
        foreach (var item in operations)
        {
            if (item is not JsonObject op)
            {
                throw new PatchException("json patch operations must be objects", malformed: true);
            }

            var kind = (string?)op["op"] ?? throw new PatchException("json patch operation has no \"op\"", malformed: true);
            var path = (string?)op["path"] ?? throw new PatchException($"json patch {kind} operation has no \"path\"", malformed: true);
            switch (kind)
            {
                case "add":
                    Add(root, path, Value(op, kind));
                    break;
                case "remove":
                    Remove(root, path);
                    break;
                case "replace":
                    Remove(root, path);
                    Add(root, path, Value(op, kind));
                    break;
                case "move":
                    var moved = Remove(root, From(op, kind));
                    Add(root, path, moved);
                    break;
                case "copy":
                    Add(root, path, Get(root, From(op, kind))?.DeepClone());
                    break;
                case "test":
                    var actual = Get(root, path);
                    if (!JsonNode.DeepEquals(actual, op["value"]))
                    {
                        throw new PatchException($"testing value {path} failed");
                    }

                    break;
                default:
                    throw new PatchException($"Unexpected kind: {kind}", malformed: true);
            }
        }

        return root["doc"];
    }

    private static JsonNode? Value(JsonObject op, string kind) =>
        op.ContainsKey("value") ? op["value"]?.DeepClone() : throw new PatchException($"json patch {kind} operation has no \"value\"", malformed: true);

    private static string From(JsonObject op, string kind) =>
        (string?)op["from"] ?? throw new PatchException($"json patch {kind} operation has no \"from\"", malformed: true);

    private static List<string> Tokens(string path)
    {
        if (path.Length == 0)
        {
            return [];
        }

        if (path[0] != '/')
        {
            throw new PatchException($"invalid JSON pointer \"{path}\"", malformed: true);
        }

        return path[1..].Split('/').Select(t => t.Replace("~1", "/").Replace("~0", "~")).ToList();
    }

    private static (JsonNode Parent, string Token) Parent(JsonObject root, string path)
    {
        var tokens = Tokens(path);
        JsonNode current = root;
        var last = "doc";
        foreach (var token in tokens)
        {
            current = Child(current, last, path) ?? throw new PatchException($"doc is missing path: \"{path}\"");
            last = token;
        }

        return (current, last);
    }

    private static JsonNode? Child(JsonNode node, string token, string path) => node switch
    {
        JsonObject o => o.TryGetPropertyValue(token, out var v) ? v : null,
        JsonArray a => a[Index(a, token, path, allowEnd: false)],
        _ => throw new PatchException($"doc is missing path: \"{path}\""),
    };

    private static int Index(JsonArray array, string token, string path, bool allowEnd)
    {
        if (allowEnd && token == "-")
        {
            return array.Count;
        }

        if (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) || i > array.Count || (!allowEnd && i == array.Count))
        {
            throw new PatchException($"unable to access invalid index: {token} in \"{path}\"");
        }

        return i;
    }

    private static JsonNode? Get(JsonObject root, string path)
    {
        var (parent, token) = Parent(root, path);
        return Child(parent, token, path);
    }

    private static void Add(JsonObject root, string path, JsonNode? value)
    {
        var (parent, token) = Parent(root, path);
        switch (parent)
        {
            case JsonObject o:
                o.Remove(token);
                o[token] = value;
                break;
            case JsonArray a:
                a.Insert(Index(a, token, path, allowEnd: true), value);
                break;
            default:
                throw new PatchException($"doc is missing path: \"{path}\"");
        }
    }

    private static JsonNode? Remove(JsonObject root, string path)
    {
        var (parent, token) = Parent(root, path);
        switch (parent)
        {
            case JsonObject o:
                if (!o.TryGetPropertyValue(token, out var existing))
                {
                    throw new PatchException($"Unable to remove nonexistent key: {token}: missing value");
                }

                o.Remove(token);
                return existing;
            case JsonArray a:
                var i = Index(a, token, path, allowEnd: false);
                var removed = a[i];
                a.RemoveAt(i);
                return removed;
            default:
                throw new PatchException($"doc is missing path: \"{path}\"");
        }
    }
}
