using System.Text.Json.Nodes;

namespace Korral.Api.ManagedFields;

internal static partial class Typed
{
    /// <summary>
    /// The set of fields an object sets, as upstream computes the fields of an applied configuration: scalars, atomic
    /// lists and maps, every list item, every map entry, and struct fields that are null or empty objects. In strict
    /// mode (applied configurations) duplicate keys and wrong shapes throw <see cref="TypedValueException"/>; otherwise
    /// they are read leniently (the offending list or map counts as one leaf).
    /// </summary>
    public static FieldSet ToFieldSet(JsonObject obj, Shape shape, bool strict)
    {
        var walker = new FieldSetWalker(strict);
        var set = walker.Object(obj, shape.Resolve(obj));
        if (walker.Errors is { Count: > 0 } errors)
        {
            throw new TypedValueException(errors);
        }

        return set;
    }

    private sealed class FieldSetWalker(bool strict)
    {
        private readonly List<PathElement> path = [];

        public List<string>? Errors { get; private set; }

        public FieldSet Object(JsonObject obj, Shape shape)
        {
            var builder = new FieldSetBuilder();
            foreach (var (key, value) in obj)
            {
                var child = shape.ChildOfObject(key, out var declared);
                var element = PathElement.Field(key);
                path.Add(element);
                var (self, children) = Value(value, child);
                path.RemoveAt(path.Count - 1);
                var member = self || !declared || IsNull(value) || value is JsonObject { Count: 0 };
                builder.Add(element, member, children);
            }

            return builder.Build();
        }

        /// <summary>Whether the node is itself a member, and the members below it.</summary>
        private (bool Self, FieldSet? Children) Value(JsonNode? value, Shape shape)
        {
            shape = shape.Resolve(value);
            switch (shape.Kind)
            {
                case ShapeKind.Scalar:
                    if (value is JsonObject or JsonArray)
                    {
                        Error($"expected scalar, got {Describe(value)}");
                    }

                    return (true, null);
                case ShapeKind.List:
                    if (shape.ListKind == ListKind.Atomic)
                    {
                        return (true, null);
                    }

                    if (IsNull(value))
                    {
                        return (false, null);
                    }

                    if (value is not JsonArray list)
                    {
                        Error($"expected list, got {Describe(value)}");
                        return (true, null);
                    }

                    return List(list, shape);
                default:
                    if (shape.Atomic)
                    {
                        return (true, null);
                    }

                    if (IsNull(value))
                    {
                        return (false, null);
                    }

                    if (value is not JsonObject obj)
                    {
                        Error($"expected map, got {Describe(value)}");
                        return (true, null);
                    }

                    return (false, Object(obj, shape));
            }
        }

        private (bool Self, FieldSet? Children) List(JsonArray list, Shape shape)
        {
            if (list.Count == 0)
            {
                return (false, null);
            }

            var elements = ItemElements(shape, list, out var error);
            if (elements is null)
            {
                Error(error!);
                return (true, null);
            }

            HashSet<PathElement>? seen = strict && list.Count > 1 ? [] : null;
            var builder = new FieldSetBuilder();
            var element = shape.Element ?? Shape.Deduced;
            for (var i = 0; i < list.Count; i++)
            {
                if (seen is not null && !seen.Add(elements[i]))
                {
                    Error($"duplicate entries for key {elements[i]}");
                    continue;
                }

                path.Add(elements[i]);
                var (_, children) = Value(list[i], element);
                path.RemoveAt(path.Count - 1);
                builder.Add(elements[i], true, children);
            }

            return (false, builder.Build());
        }

        private void Error(string message)
        {
            if (strict)
            {
                (Errors ??= []).Add(string.Concat(path.Select(p => p.ToString())) + ": " + message);
            }
        }
    }
}
