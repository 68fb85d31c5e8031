using System.Text.Json.Nodes;

namespace Korral.Api.ManagedFields;

/// <summary>
/// Keeps a write that changes nothing from bumping the resourceVersion: when the new object equals the stored one
/// except for managedFields times, and the managedFields match entry by entry apart from their times, the stored
/// times are put back (upstream's IgnoreManagedFieldsTimestampsTransformer). Call it on the final object, just
/// before the store compares and writes.
/// </summary>
public static class ManagedFieldsTimestamps
{
    /// <summary>Reverts the times in <paramref name="updated"/>'s managedFields when nothing else changed; true if it did.</summary>
    public static bool RevertIfUnchanged(JsonObject? old, JsonObject updated)
    {
        if (old?["metadata"]?["managedFields"] is not JsonArray before
            || updated["metadata"]?["managedFields"] is not JsonArray after
            || before.Count != after.Count || after.Count == 0)
        {
            return false;
        }

        var timesChanged = false;
        for (var i = 0; i < after.Count; i++)
        {
            if (after[i] is not JsonObject a || before[i] is not JsonObject b)
            {
                return false;
            }

            if (!JsonValues.DeepEquals(a["time"], b["time"]))
            {
                timesChanged = true;
            }

            if (!EqualIgnoringTime(a, b))
            {
                return false;
            }
        }

        if (!timesChanged || !EqualIgnoringManagedFields(old, updated))
        {
            return false;
        }

        for (var i = 0; i < after.Count; i++)
        {
            var a = (JsonObject)after[i]!;
            var time = before[i]!["time"]?.DeepClone();
            if (time is null)
            {
                a.Remove("time");
            }
            else
            {
                a["time"] = time;
            }
        }

        return true;
    }

    private static bool EqualIgnoringTime(JsonObject a, JsonObject b)
    {
        var n = 0;
        foreach (var (key, value) in a)
        {
            if (key == "time")
            {
                continue;
            }

            n++;
            if (!b.TryGetPropertyValue(key, out var other) || !JsonValues.DeepEquals(value, other))
            {
                return false;
            }
        }

        return n == b.Count(p => p.Key != "time");
    }

    private static bool EqualIgnoringManagedFields(JsonObject a, JsonObject b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        foreach (var (key, value) in a)
        {
            if (!b.TryGetPropertyValue(key, out var other))
            {
                return false;
            }

            if (key == "metadata" && value is JsonObject ma && other is JsonObject mb)
            {
                if (ma.Count != mb.Count)
                {
                    return false;
                }

                foreach (var (mk, mv) in ma)
                {
                    if (mk != "managedFields" && (!mb.TryGetPropertyValue(mk, out var mo) || !JsonValues.DeepEquals(mv, mo)))
                    {
                        return false;
                    }
                }

                if (!mb.ContainsKey("managedFields"))
                {
                    return false;
                }
            }
            else if (!JsonValues.DeepEquals(value, other))
            {
                return false;
            }
        }

        return true;
    }
}
