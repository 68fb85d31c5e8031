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
        var comparer = new Comparer();
        var level = comparer.Rent();
        comparer.Objects(lhs, rhs, shape.Resolve(lhs), level, skeleton);
        return new Comparison(level.Added.Build(), level.Modified.Build(), level.Removed.Build());
    }

    private sealed class Level
    {
        public readonly FieldSetBuilder Added = new();
        public readonly FieldSetBuilder Modified = new();
        public readonly FieldSetBuilder Removed = new();
    }

    /// <summary>One comparison; it reuses its per-depth builders, so a walk allocates little beyond the results.</summary>
    private sealed class Comparer
    {
        private const int SmallList = 8;
        private readonly List<Level> levels = [];
        private int depth;

        public Level Rent()
        {
            if (depth == levels.Count)
            {
                levels.Add(new Level());
            }

            return levels[depth++];
        }

        private void Return() => depth--;

        public void Objects(JsonObject? lo, JsonObject? ro, Shape shape, Level level, JsonObject? skeleton)
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

                    Child(PathElement.Field(key), true, lv, rp, rv, shape.ChildOfObject(key, out _), level, skeleton?[key] as JsonObject);
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
                        Child(PathElement.Field(key), lp, lv, true, rv, shape.ChildOfObject(key, out _), level, skeleton?[key] as JsonObject);
                    }
                }
            }
        }

        private void Child(PathElement element, bool lp, JsonNode? l, bool rp, JsonNode? r, Shape shape, Level parent, JsonObject? skeleton)
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

                    var level = Rent();
                    var keyed = Lists(la, ra, shape, level);
                    Post(element, lp, rp, level, parent, keyed);
                    Return();
                    if (!keyed)
                    {
                        Leaf(element, lp, l, rp, r, parent);
                    }

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

                    var level = Rent();
                    Objects(lo, ro, shape, level, skeleton);
                    Post(element, lp, rp, level, parent, keep: true);
                    Return();
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

        /// <summary>Moves a child level's results into its parent (or discards them when <paramref name="keep"/> is false).</summary>
        private static void Post(PathElement element, bool lp, bool rp, Level level, Level parent, bool keep)
        {
            var added = level.Added.Build();
            var modified = level.Modified.Build();
            var removed = level.Removed.Build();
            if (!keep)
            {
                return;
            }

            parent.Added.Add(element, !lp, added);
            parent.Modified.Add(element, false, modified);
            parent.Removed.Add(element, !rp, removed);
        }

        /// <summary>Compares list items by key; false when an item cannot be keyed (the list then compares as a leaf).</summary>
        private bool Lists(JsonArray? la, JsonArray? ra, Shape shape, Level level)
        {
            var lpe = ItemElements(shape, la, out _);
            var rpe = ItemElements(shape, ra, out _);
            if (lpe is null || rpe is null)
            {
                return false;
            }

            var element = shape.Element ?? Shape.Deduced;
            if (lpe.Length <= SmallList && rpe.Length <= SmallList)
            {
                SmallLists(la, lpe, ra, rpe, element, level);
                return true;
            }

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
                ref var o = ref CollectionsMarshal.GetValueRefOrAddDefault(seen, rpe[i], out _);
                if (o.RightCount == 0)
                {
                    o.Right = i;
                }

                o.RightCount++;
            }

            foreach (var (pe, o) in seen)
            {
                Item(pe, o, la, lpe, ra, rpe, element, level);
            }

            return true;
        }

        private void SmallLists(JsonArray? la, PathElement[] lpe, JsonArray? ra, PathElement[] rpe, Shape element, Level level)
        {
            for (var i = 0; i < lpe.Length; i++)
            {
                if (IndexOf(lpe, lpe[i], 0) < i)
                {
                    continue;
                }

                var o = new Occurrence { Left = i, LeftCount = Count(lpe, lpe[i]), Right = IndexOf(rpe, lpe[i], 0) };
                o.RightCount = o.Right < 0 ? 0 : Count(rpe, lpe[i]);
                Item(lpe[i], o, la, lpe, ra, rpe, element, level);
            }

            for (var i = 0; i < rpe.Length; i++)
            {
                if (IndexOf(rpe, rpe[i], 0) < i || IndexOf(lpe, rpe[i], 0) >= 0)
                {
                    continue;
                }

                var o = new Occurrence { Right = i, RightCount = Count(rpe, rpe[i]) };
                Item(rpe[i], o, la, lpe, ra, rpe, element, level);
            }
        }

        private static int IndexOf(PathElement[] elements, PathElement pe, int from)
        {
            for (var i = from; i < elements.Length; i++)
            {
                if (elements[i].Equals(pe))
                {
                    return i;
                }
            }

            return -1;
        }

        private static int Count(PathElement[] elements, PathElement pe)
        {
            var n = 0;
            foreach (var e in elements)
            {
                if (e.Equals(pe))
                {
                    n++;
                }
            }

            return n;
        }

        private void Item(PathElement pe, Occurrence o, JsonArray? la, PathElement[] lpe, JsonArray? ra, PathElement[] rpe, Shape element, Level level)
        {
            if (o.LeftCount > 1 || o.RightCount > 1)
            {
                // Items with duplicate keys are compared as one leaf.
                if (o.LeftCount == 0)
                {
                    level.Added.Add(pe, true, null);
                }
                else if (o.RightCount == 0)
                {
                    level.Removed.Add(pe, true, null);
                }
                else if (!(o.LeftCount == o.RightCount && SameItems(la!, lpe, ra!, rpe, pe)))
                {
                    level.Modified.Add(pe, true, null);
                }

                return;
            }

            Child(pe, o.LeftCount == 1, o.LeftCount == 1 ? la![o.Left] : null,
                o.RightCount == 1, o.RightCount == 1 ? ra![o.Right] : null, element, level, null);
        }
    }

    private struct Occurrence
    {
        public int Left;
        public int LeftCount;
        public int Right;
        public int RightCount;
    }

    private static bool SameItems(JsonArray la, PathElement[] lpe, JsonArray ra, PathElement[] rpe, PathElement pe)
    {
        var left = Enumerable.Range(0, lpe.Length).Where(i => lpe[i].Equals(pe)).Select(i => la[i]).ToList();
        var right = Enumerable.Range(0, rpe.Length).Where(i => rpe[i].Equals(pe)).Select(i => ra[i]).ToList();
        return left.Count == right.Count && left.Zip(right).All(p => JsonValues.DeepEquals(p.First, p.Second));
    }
}
