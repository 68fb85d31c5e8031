using System.Text.Json.Nodes;

namespace Korral.Api.ManagedFields;

internal static partial class Typed
{
    /// <summary>
    /// Merges an applied configuration into a live object (neither is modified): leaves take the configuration's
    /// value; structs and granular maps merge key by key; list-maps and sets merge item by item, items keeping the
    /// live order except that shared items follow the configuration's order. Nothing is removed here.
    /// The configuration must have been checked with a strict <see cref="ToFieldSet"/>.
    /// </summary>
    public static JsonObject Merge(JsonObject live, JsonObject config, Shape shape) =>
        MergeObjects(live, config, shape.Resolve(live));

    private static JsonNode? Clone(JsonNode? node) => node?.DeepClone();

    private static JsonNode? MergeValue(bool lp, JsonNode? l, bool rp, JsonNode? r, Shape shape)
    {
        if (!rp)
        {
            return Clone(l);
        }

        if (!lp)
        {
            return Clone(r);
        }

        if (shape.Kind == ShapeKind.Deduced)
        {
            var ls = shape.Resolve(l);
            var rs = shape.Resolve(r);
            if (ls != rs)
            {
                return Clone(r);
            }

            shape = rs;
        }

        switch (shape.Kind)
        {
            case ShapeKind.List when shape.ListKind != ListKind.Atomic:
            {
                var la = l as JsonArray;
                var ra = r as JsonArray;
                if ((la is null && !IsNull(l)) || (ra is null && !IsNull(r)) || ((la?.Count ?? 0) == 0 && (ra?.Count ?? 0) == 0))
                {
                    return Clone(r);
                }

                return MergeLists(la, ra, shape) ?? Clone(r);
            }

            case ShapeKind.Struct or ShapeKind.Map when !shape.Atomic:
            {
                var lo = l as JsonObject;
                var ro = r as JsonObject;
                if ((lo is null && !IsNull(l)) || (ro is null && !IsNull(r)) || ((lo?.Count ?? 0) == 0 && (ro?.Count ?? 0) == 0))
                {
                    return Clone(r);
                }

                return MergeObjects(lo, ro, shape);
            }

            default:
                return Clone(r);
        }
    }

    private static JsonObject MergeObjects(JsonObject? lo, JsonObject? ro, Shape shape)
    {
        var result = new JsonObject();
        if (lo is not null)
        {
            foreach (var (key, lv) in lo)
            {
                JsonNode? rv = null;
                var rp = ro is not null && ro.TryGetPropertyValue(key, out rv);
                result.Add(key, rp ? MergeValue(true, lv, true, rv, shape.ChildOfObject(key, out _)) : Clone(lv));
            }
        }

        if (ro is not null)
        {
            foreach (var (key, rv) in ro)
            {
                if (lo is null || !lo.ContainsKey(key))
                {
                    result.Add(key, Clone(rv));
                }
            }
        }

        return result;
    }

    /// <summary>Merges list items; null when the live items cannot be keyed (the configuration then replaces the list).</summary>
    private static JsonArray? MergeLists(JsonArray? la, JsonArray? ra, Shape shape)
    {
        var lpe = ItemElements(shape, la, out _);
        var rpe = ItemElements(shape, ra, out _);
        if (lpe is null || rpe is null)
        {
            return null;
        }

        var element = shape.Element ?? Shape.Deduced;
        var right = new Dictionary<PathElement, int>(rpe.Length);
        for (var i = 0; i < rpe.Length; i++)
        {
            right.TryAdd(rpe[i], i);
        }

        // Live items by key; a key that occurs twice has no single live item to merge with.
        var left = new Dictionary<PathElement, int>(lpe.Length);
        for (var i = 0; i < lpe.Length; i++)
        {
            left[lpe[i]] = left.ContainsKey(lpe[i]) ? -1 : i;
        }

        // Items present on both sides, in the configuration's order.
        var shared = new List<PathElement>();
        foreach (var pe in rpe)
        {
            if (left.ContainsKey(pe))
            {
                shared.Add(pe);
            }
        }

        var result = new JsonArray();
        var merged = new HashSet<PathElement>();
        var next = 0;
        int li = 0, ri = 0;
        while (li < lpe.Length || ri < rpe.Length)
        {
            if (li < lpe.Length && ri < rpe.Length)
            {
                if (lpe[li].Equals(rpe[ri]))
                {
                    merged.Add(rpe[ri]);
                    result.Add(MergeItem(left, lpe[li], la!, ra![ri], element));
                    li++;
                    ri++;
                    next++;
                    continue;
                }

                // A shared item met early on the live side waits for its turn in the configuration's order.
                if (right.ContainsKey(lpe[li]) && next < shared.Count && !shared[next].Equals(lpe[li]))
                {
                    li++;
                    continue;
                }
            }

            if (li < lpe.Length)
            {
                if (!right.ContainsKey(lpe[li]))
                {
                    result.Add(Clone(la![li]));
                    li++;
                    continue;
                }

                if (merged.Contains(lpe[li]))
                {
                    li++;
                    continue;
                }
            }

            if (ri < rpe.Length)
            {
                merged.Add(rpe[ri]);
                result.Add(MergeItem(left, rpe[ri], la, ra![ri], element));
                if (next < shared.Count && shared[next].Equals(rpe[ri]))
                {
                    next++;
                }

                ri++;
            }
        }

        return result;
    }

    private static JsonNode? MergeItem(Dictionary<PathElement, int> left, PathElement pe, JsonArray? la, JsonNode? r, Shape element)
    {
        var at = left.GetValueOrDefault(pe, -1);
        return at >= 0 ? MergeValue(true, la![at], true, r, element) : Clone(r);
    }
}
