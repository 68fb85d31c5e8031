using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Korral.Api.Schema;

namespace Korral.Api.ManagedFields;

/// <summary>Compiles and caches <see cref="Shape"/>s for the definitions of one <see cref="ISchemaCatalog"/>.</summary>
internal sealed class ShapeCatalog(ISchemaCatalog schemas)
{
    private static readonly ConcurrentDictionary<ISchemaCatalog, ShapeCatalog> Catalogs = new(ReferenceEqualityComparer.Instance);

    // Key fields whose schema default is not the Go zero value.
    private static readonly Dictionary<(string Type, string Field), string> KeyDefaultOverrides = new()
    {
        [("io.k8s.api.core.v1.ContainerPort", "protocol")] = "TCP",
        [("io.k8s.api.core.v1.ServicePort", "protocol")] = "TCP",
    };

    private readonly ConcurrentDictionary<(string Name, bool Atomic), Shape> structs = new();

    public ISchemaCatalog Schemas => schemas;

    public static ShapeCatalog For(ISchemaCatalog schemas) => Catalogs.GetOrAdd(schemas, s => new ShapeCatalog(s));

    /// <summary>The shape of a top-level object of <paramref name="type"/>; null type means no schema (deduced).</summary>
    public Shape ForType(TypeSchema? type) => type is null ? Shape.DeducedMap : StructShape(type, atomic: false);

    private Shape StructShape(TypeSchema type, bool atomic) =>
        structs.GetOrAdd((type.Name, atomic), static (key, arg) => new Shape(arg.type, key.Atomic, arg.self), (type, self: this));

    public Shape ForField(FieldSchema field)
    {
        switch (field.Kind)
        {
            case FieldKind.Object:
                var type = field.Ref is null ? null : schemas.Find(field.Ref);
                return type is null ? Shape.Deduced : StructShape(type, field.MapType == "atomic");
            case FieldKind.Map:
                return new Shape(ShapeKind.Map)
                {
                    Atomic = field.MapType == "atomic",
                    Element = field.Items is null ? Shape.Deduced : ForField(field.Items),
                };
            case FieldKind.Array:
                return ListShape(field);
            case FieldKind.Any:
                return Shape.Deduced;
            default:
                return Shape.Scalar;
        }
    }

    private Shape ListShape(FieldSchema field)
    {
        var element = field.Items is null ? Shape.Deduced : ForField(field.Items);
        var (kind, keys) = ListKindOf(field);
        if (kind != ListKind.Map)
        {
            return new Shape(ShapeKind.List) { ListKind = kind, Element = element };
        }

        var elementType = field.Items?.Ref is { } r ? schemas.Find(r) : null;
        var defaults = new JsonNode?[keys!.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            defaults[i] = KeyDefault(elementType, keys[i]);
        }

        return new Shape(ShapeKind.List) { ListKind = ListKind.Map, Element = element, Keys = keys, KeyDefaults = defaults };
    }

    /// <summary>
    /// Upstream's reading of list metadata: x-kubernetes-list-type wins; otherwise a "merge" patch strategy makes a
    /// list-map keyed by the patch merge key (or a set when there is no key); anything else is atomic.
    /// </summary>
    private static (ListKind Kind, string[]? Keys) ListKindOf(FieldSchema field)
    {
        switch (field.ListType)
        {
            case "atomic":
                return (ListKind.Atomic, null);
            case "set":
                return (ListKind.Set, null);
            case "map":
                return field.ListMapKeys is { Count: > 0 } k ? (ListKind.Map, k.ToArray()) : (ListKind.Atomic, null);
        }

        if (field.PatchStrategy is { } strategy && strategy.Split(',').Contains("merge"))
        {
            return field.PatchMergeKey is { Length: > 0 } key ? (ListKind.Map, [key]) : (ListKind.Set, null);
        }

        return (ListKind.Atomic, null);
    }

    private static JsonNode? KeyDefault(TypeSchema? elementType, string key)
    {
        if (elementType is null)
        {
            return null;
        }

        if (KeyDefaultOverrides.TryGetValue((elementType.Name, key), out var value))
        {
            return JsonValue.Create(value);
        }

        if (!elementType.Properties.TryGetValue(key, out var field))
        {
            return null;
        }

        // Built-in key fields are non-pointer scalars, whose generated schema default is the Go zero value.
        return field.Kind switch
        {
            FieldKind.String => JsonValue.Create(""),
            FieldKind.Integer or FieldKind.Number => JsonValue.Create(0),
            FieldKind.Boolean => JsonValue.Create(false),
            _ => null,
        };
    }
}
