using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace Korral.Api.ManagedFields;

internal static partial class Typed
{
    /// <summary>
    /// Compares two versions of an object as upstream does: a leaf (scalar, atomic list or map, or a container empty
    /// on both sides) is added, removed or modified as a whole; a list item, map entry or struct that appears or
    /// disappears is itself added or removed, along with everything below it. Lists whose items cannot be keyed and
    /// items with duplicate keys compare as leaves.
    /// </summary>
    /// <remarks>
    /// <paramref name="skeleton"/> is the kind's zero object: where a side lacks a field the skeleton has, the
    /// skeleton's value stands in, as it would in upstream's typed objects (a Deployment always has a status).
    /// </remarks>
    public static Comparison Compare(JsonObject lhs, JsonObject rhs, Shape shape, JsonObject? skeleton = null)
    {
        var level = new Level();
        CompareObjects(lhs, rhs, shape.Resolve(lhs), level, skeleton);
        return new Comparison(level.Added.Build(), level.Modified.Build(), level.Removed.Build());
    }

    private sealed class Level
    {
        public readonly FieldSetBuilder Added = new();
        public readonly FieldSetBuilder Modified = new();
        public readonly FieldSetBuilder Removed = new();
    }

    private static void CompareObjects(JsonObject? lo, JsonObject? ro, Shape shape, Level level, JsonObject? skeleton)
    {
        if (lo is not null)
        {
            foreach (var (key, lv) in lo)
            {
                JsonNode? rv = null;
                var rp = ro is not null && ro.TryGetPropertyValue(key, out rv);
                if (!rp && skeleton is not null && skeleton.TryGetPropertyValue(key, out rv))
                {
                    rp = true;
                }

                CompareChild(PathElement.Field(key), true, lv, rp, rv, shape.ChildOfObject(key, out _), level, skeleton?[key] as JsonObject);
            }
        }

        if (ro is not null)
        {
            foreach (var (key, rv) in ro)
            {
                if (lo is null || !lo.ContainsKey(key))
                {
                    JsonNode? lv = null;
                    var lp = skeleton is not null && skeleton.TryGetPropertyValue(key, out lv);
                    CompareChild(PathElement.Field(key), lp, lv, true, rv, shape.ChildOfObject(key, out _), level, skeleton?[key] as JsonObject);
                }
            }
        }
    }

    private static void CompareChild(PathElement element, bool lp, JsonNode? l, bool rp, JsonNode? r, Shape shape, Level parent,
        JsonObject? skeleton = null)
    {
        if (shape.Kind == ShapeKind.Deduced)
        {
            var ls = lp ? shape.Resolve(l) : null;
            var rs = rp ? shape.Resolve(r) : null;
            if (ls is not null && rs is not null && ls != rs && !IsNull(l) && !IsNull(r))
            {
                Leaf(element, lp, l, rp, r, parent);
                return;
            }

            shape = ls ?? rs!;
        }

        switch (shape.Kind)
        {
            case ShapeKind.List when shape.ListKind != ListKind.Atomic:
            {
                var la = l as JsonArray;
                var ra = r as JsonArray;
                if ((lp && la is null && !IsNull(l)) || (rp && ra is null && !IsNull(r))
                    || ((la?.Count ?? 0) == 0 && (ra?.Count ?? 0) == 0))
                {
                    Leaf(element, lp, l, rp, r, parent);
                    return;
                }

                var level = new Level();
                if (!CompareLists(la, ra, shape, level))
                {
                    Leaf(element, lp, l, rp, r, parent);
                    return;
                }

                Post(element, lp, rp, level, parent);
                return;
            }

            case ShapeKind.Struct or ShapeKind.Map when !shape.Atomic:
            {
                var lo = l as JsonObject;
                var ro = r as JsonObject;
                if ((lp && lo is null && !IsNull(l)) || (rp && ro is null && !IsNull(r))
                    || ((lo?.Count ?? 0) == 0 && (ro?.Count ?? 0) == 0))
                {
                    Leaf(element, lp, l, rp, r, parent);
                    return;
                }

                var level = new Level();
                CompareObjects(lo, ro, shape, level, skeleton);
                Post(element, lp, rp, level, parent);
                return;
            }

            default:
                Leaf(element, lp, l, rp, r, parent);
                return;
        }
    }

    private static void Leaf(PathElement element, bool lp, JsonNode? l, bool rp, JsonNode? r, Level parent)
    {
        if (!lp)
        {
            parent.Added.Add(element, true, null);
        }
        else if (!rp)
        {
            parent.Removed.Add(element, true, null);
        }
        else if (!JsonValues.DeepEquals(l, r))
        {
            parent.Modified.Add(element, true, null);
        }
    }

    private static void Post(PathElement element, bool lp, bool rp, Level level, Level parent)
    {
        if (!lp || !level.Added.IsEmpty)
        {
            parent.Added.Add(element, !lp, level.Added.Build());
        }

        if (!level.Modified.IsEmpty)
        {
            parent.Modified.Add(element, false, level.Modified.Build());
        }

        if (!rp || !level.Removed.IsEmpty)
        {
            parent.Removed.Add(element, !rp, level.Removed.Build());
        }
    }

    private struct Occurrence
    {
        public int Left;
        public int LeftCount;
        public int Right;
        public int RightCount;
    }

    /// <summary>Compares list items by key; false when an item cannot be keyed (the list then compares as a leaf).</summary>
    private static bool CompareLists(JsonArray? la, JsonArray? ra, Shape shape, Level level)
    {
        var lpe = ItemElements(shape, la, out _);
        var rpe = ItemElements(shape, ra, out _);
        if (lpe is null || rpe is null)
        {
            return false;
        }

        var element = shape.Element ?? Shape.Deduced;
        var seen = new Dictionary<PathElement, Occurrence>(lpe.Length + rpe.Length);
        for (var i = 0; i < lpe.Length; i++)
        {
            ref var o = ref CollectionsMarshal.GetValueRefOrAddDefault(seen, lpe[i], out var exists);
            if (!exists)
            {
                o.Left = i;
            }

            o.LeftCount++;
        }

        for (var i = 0; i < rpe.Length; i++)
        {
            ref var o = ref CollectionsMarshal.GetValueRefOrAddDefault(seen, rpe[i], out var exists);
            if (o.RightCount == 0)
            {
                o.Right = i;
            }

            o.RightCount++;
        }

        foreach (var (pe, o) in seen)
        {
            if (o.LeftCount > 1 || o.RightCount > 1)
            {
                // Items with duplicate keys are compared as one leaf.
                var equal = o.LeftCount == o.RightCount && SameItems(la!, lpe, ra!, rpe, pe);
                if (o.LeftCount == 0)
                {
                    level.Added.Add(pe, true, null);
                }
                else if (o.RightCount == 0)
                {
                    level.Removed.Add(pe, true, null);
                }
                else if (!equal)
                {
                    level.Modified.Add(pe, true, null);
                }

                continue;
            }

            CompareChild(pe, o.LeftCount == 1, o.LeftCount == 1 ? la![o.Left] : null,
                o.RightCount == 1, o.RightCount == 1 ? ra![o.Right] : null, element, level);
        }

        return true;
    }

    private static bool SameItems(JsonArray la, PathElement[] lpe, JsonArray ra, PathElement[] rpe, PathElement pe)
    {
        var left = Enumerable.Range(0, lpe.Length).Where(i => lpe[i].Equals(pe)).Select(i => la[i]).ToList();
        var right = Enumerable.Range(0, rpe.Length).Where(i => rpe[i].Equals(pe)).Select(i => ra[i]).ToList();
        return left.Count == right.Count && left.Zip(right).All(p => JsonValues.DeepEquals(p.First, p.Second));
    }
}
