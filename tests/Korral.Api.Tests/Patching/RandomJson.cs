using System.Text.Json.Nodes;

namespace Korral.Api.Tests.Patching;

/// <summary>A small seeded generator of JSON documents, and of edited copies of them, for the round-trip properties.</summary>
internal static class RandomJson
{
    // A few keys, so that edits often touch existing members; some need JSON Pointer escaping.
    private static readonly string[] Keys = ["a", "b", "c", "name", "spec", "x/y", "m~n", "", "long-key.example.com/part", "ü"];

    public static JsonObject Object(Random random, int depth, bool allowNulls)
    {
        var obj = new JsonObject();
        var count = random.Next(depth > 0 ? 5 : 3);
        for (var i = 0; i < count; i++)
        {
            obj[Keys[random.Next(Keys.Length)]] = Value(random, depth - 1, allowNulls);
        }

        return obj;
    }

    public static JsonNode? Value(Random random, int depth, bool allowNulls)
    {
        var roll = random.Next(depth > 0 ? 10 : 7);
        return roll switch
        {
            0 when allowNulls => null,
            0 or 1 => JsonValue.Create(random.Next(-3, 100)),
            2 => JsonValue.Create(random.Next(4) switch { 0 => "", 1 => "x", 2 => "25%", _ => "nginx:1.27" }),
            3 => JsonValue.Create(random.Next(2) == 0),
            4 => JsonValue.Create(random.Next(8) / 4.0),
            5 => JsonValue.Create(random.Next(2) == 0 ? "500m" : "1Gi"),
            6 => JsonValue.Create(random.Next(1000)),
            7 => List(random, depth, allowNulls),
            _ => Object(random, depth, allowNulls),
        };
    }

    /// <summary>A copy of <paramref name="original"/> with members changed, added and removed at random, without nulls.</summary>
    public static JsonObject Mutate(Random random, JsonObject original, int depth)
    {
        var copy = new JsonObject();
        foreach (var (key, value) in original)
        {
            switch (random.Next(6))
            {
                case 0:
                    break; // removed
                case 1:
                    copy[key] = Value(random, depth - 1, allowNulls: false);
                    break;
                default:
                    copy[key] = value switch
                    {
                        JsonObject nested when depth > 0 => Mutate(random, nested, depth - 1),
                        null => Value(random, depth - 1, allowNulls: false),
                        _ => WithoutNulls(value.DeepClone()),
                    };
                    break;
            }
        }

        for (var i = random.Next(3); i > 0; i--)
        {
            copy[Keys[random.Next(Keys.Length)]] = Value(random, depth - 1, allowNulls: false);
        }

        return copy;
    }

    private static JsonArray List(Random random, int depth, bool allowNulls)
    {
        var list = new JsonArray();
        for (var i = random.Next(4); i > 0; i--)
        {
            list.Add(Value(random, depth - 1, allowNulls));
        }

        return list;
    }

    private static JsonNode WithoutNulls(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Where(p => p.Value is null).Select(p => p.Key).ToList())
                {
                    obj.Remove(key);
                }

                foreach (var (_, value) in obj)
                {
                    WithoutNulls(value!);
                }

                break;
            case JsonArray list:
                for (var i = list.Count - 1; i >= 0; i--)
                {
                    if (list[i] is null)
                    {
                        list.RemoveAt(i);
                    }
                    else
                    {
                        WithoutNulls(list[i]!);
                    }
                }

                break;
        }

        return node;
    }
}
