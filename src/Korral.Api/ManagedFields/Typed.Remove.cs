using System.Text.Json.Nodes;

namespace Korral.Api.ManagedFields;

internal static partial class Typed
{
    /// <summary>
    /// A copy of <paramref name="obj"/> without the members of <paramref name="items"/> (a member removes the whole
    /// subtree). As upstream, a list or map that loses all its items becomes null, and so does an atomic or empty
    /// container that the set reaches into.
    /// </summary>
    public static JsonObject RemoveItems(JsonObject obj, FieldSet items, Shape shape)
    {
        if (items.IsEmpty)
        {
            return (JsonObject)obj.DeepClone();
        }

        return RemoveFromObject(obj, items, shape.Resolve(obj)) as JsonObject ?? new JsonObject();
    }

    private static JsonNode? Remove(JsonNode? value, FieldSet items, Shape shape)
    {
        shape = shape.Resolve(value);
        switch (shape.Kind)
        {
            case ShapeKind.Scalar:
                return Clone(value);
            case ShapeKind.List:
                if (value is not JsonArray list || list.Count == 0 || shape.ListKind == ListKind.Atomic)
                {
                    return null;
                }

                var element = shape.Element ?? Shape.Deduced;
                var items2 = new JsonArray();
                for (var i = 0; i < list.Count; i++)
                {
                    var item = list[i];
                    if (!TryItemElement(shape, item, i, out var pe, out _))
                    {
                        items2.Add(Clone(item));
                        continue;
                    }

                    var at = items.IndexOf(pe);
                    if (at < 0)
                    {
                        items2.Add(Clone(item));
                        continue;
                    }

                    var node = items.Nodes[at];
                    if (node.Member)
                    {
                        continue;
                    }

                    var kept = Remove(item, node.Children!, element);
                    if (kept is not null)
                    {
                        items2.Add(kept);
                    }
                }

                return items2.Count > 0 ? items2 : null;
            default:
                if (value is not JsonObject obj || obj.Count == 0 || shape.Atomic)
                {
                    return null;
                }

                return RemoveFromObject(obj, items, shape);
        }
    }

    private static JsonNode? RemoveFromObject(JsonObject obj, FieldSet items, Shape shape)
    {
        var result = new JsonObject();
        foreach (var (key, value) in obj)
        {
            var at = items.IndexOf(PathElement.Field(key));
            if (at < 0)
            {
                result.Add(key, Clone(value));
                continue;
            }

            var node = items.Nodes[at];
            if (node.Member)
            {
                continue;
            }

            result.Add(key, Remove(value, node.Children!, shape.ChildOfObject(key, out _)));
        }

        return result.Count > 0 ? result : null;
    }

    /// <summary>
    /// The set with every named struct field that has members below it made a member too, so that removing it
    /// removes the struct (upstream's EnsureNamedFieldsAreMembers). Map keys and list items are left as they are.
    /// </summary>
    public static FieldSet EnsureNamedFieldsAreMembers(FieldSet set, Shape shape)
    {
        if (set.IsEmpty)
        {
            return set;
        }

        var nodes = new FieldSet.Node[set.Nodes.Length];
        var changed = false;
        for (var i = 0; i < nodes.Length; i++)
        {
            var node = set.Nodes[i];
            var children = node.Children;
            var member = node.Member;
            if (children is not null)
            {
                children = EnsureNamedFieldsAreMembers(children, shape.Child(node.Element));
                member |= shape.Kind == ShapeKind.Struct && node.Element.Kind == PathElementKind.Field
                    && shape.DeclaredField(node.Element.FieldName!) is not null;
            }

            nodes[i] = new FieldSet.Node(node.Element, member, children);
            changed |= member != node.Member || !ReferenceEquals(children, node.Children);
        }

        return changed ? new FieldSet(nodes) : set;
    }
}
