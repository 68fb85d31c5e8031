using System.Text.Json.Nodes;
using Korral.Api.Schema;

namespace Korral.Api.ManagedFields;

internal enum ShapeKind : byte
{
    Scalar,
    Struct,
    Map,
    List,

    /// <summary>No schema: objects are granular maps, lists are atomic (upstream's "deduced" type).</summary>
    Deduced,
}

internal enum ListKind : byte
{
    Atomic,
    Set,
    Map,
}

/// <summary>
/// The schema of one node as the field manager sees it: scalar, struct (named fields), map, list (atomic, set or
/// list-map with keys) or deduced. Compiled once from the <see cref="ISchemaCatalog"/> and cached.
/// </summary>
internal sealed class Shape
{
    public static readonly Shape Scalar = new(ShapeKind.Scalar);
    public static readonly Shape Deduced = new(ShapeKind.Deduced);

    /// <summary>A deduced object: a granular map of deduced values.</summary>
    public static readonly Shape DeducedMap = new(ShapeKind.Map) { Element = Deduced };

    /// <summary>A deduced list: atomic.</summary>
    public static readonly Shape DeducedList = new(ShapeKind.List) { ListKind = ListKind.Atomic, Element = Deduced };

    private readonly ShapeCatalog? catalog;
    private Dictionary<string, Shape>? fields;

    public Shape(ShapeKind kind)
    {
        Kind = kind;
    }

    public Shape(TypeSchema type, bool atomic, ShapeCatalog catalog)
    {
        Kind = ShapeKind.Struct;
        Type = type;
        Atomic = atomic;
        this.catalog = catalog;
    }

    public ShapeKind Kind { get; }

    /// <summary>Struct or map with x-kubernetes-map-type atomic.</summary>
    public bool Atomic { get; init; }

    public ListKind ListKind { get; init; }

    /// <summary>The element of a map or list.</summary>
    public Shape? Element { get; init; }

    /// <summary>List-map keys, in schema order.</summary>
    public string[]? Keys { get; init; }

    /// <summary>The value a missing key field takes (upstream takes the schema default; built-in keys all have one).</summary>
    public JsonNode?[]? KeyDefaults { get; init; }

    public TypeSchema? Type { get; }

    /// <summary>Whether this node is replaced wholesale: scalars, atomic lists, atomic structs and maps.</summary>
    public bool IsLeafType => Kind == ShapeKind.Scalar || (Kind == ShapeKind.List && ListKind == ListKind.Atomic)
        || (Kind is ShapeKind.Struct or ShapeKind.Map && Atomic);

    /// <summary>The shape of a struct's declared field, or null when the field is not declared.</summary>
    public Shape? DeclaredField(string name)
    {
        if (Kind != ShapeKind.Struct)
        {
            return null;
        }

        var f = fields ?? BuildFields();
        return f.GetValueOrDefault(name);
    }

    /// <summary>The shape of a child reached by <paramref name="element"/> (undeclared struct fields are deduced).</summary>
    public Shape Child(PathElement element)
    {
        switch (Kind)
        {
            case ShapeKind.Struct:
                return element.Kind == PathElementKind.Field ? DeclaredField(element.FieldName!) ?? Deduced : Deduced;
            case ShapeKind.Map:
                return Element ?? Deduced;
            case ShapeKind.List:
                return Element ?? Deduced;
            case ShapeKind.Deduced:
                return Deduced;
            default:
                return Scalar;
        }
    }

    /// <summary>The shape of the value under <paramref name="key"/> of an object of this shape.</summary>
    public Shape ChildOfObject(string key, out bool declared)
    {
        declared = false;
        switch (Kind)
        {
            case ShapeKind.Struct:
                var f = DeclaredField(key);
                declared = f is not null;
                return f ?? Deduced;
            case ShapeKind.Map:
                return Element ?? Deduced;
            default:
                return Deduced;
        }
    }

    /// <summary>Resolves a deduced shape against the value it describes.</summary>
    public Shape Resolve(JsonNode? value) => Kind != ShapeKind.Deduced
        ? this
        : value switch
        {
            JsonObject => DeducedMap,
            JsonArray => DeducedList,
            _ => Scalar,
        };

    private Dictionary<string, Shape> BuildFields()
    {
        var built = new Dictionary<string, Shape>(Type!.Properties.Count, StringComparer.Ordinal);
        foreach (var (name, field) in Type.Properties)
        {
            built[name] = catalog!.ForField(field);
        }

        Interlocked.CompareExchange(ref fields, built, null);
        return fields!;
    }
}
