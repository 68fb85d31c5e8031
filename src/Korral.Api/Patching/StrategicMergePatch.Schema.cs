using Korral.Api.Schema;

namespace Korral.Api.Patching;

public sealed partial class StrategicMergePatch
{
    /// <summary>
    /// What the merge knows about the object at hand: a definition (its properties), a map (one schema for every value)
    /// or nothing (unknown fields, <c>Any</c>, kinds without a schema), where maps merge and lists are replaced.
    /// </summary>
    private sealed record Node(TypeSchema? Type, FieldSchema? Values)
    {
        public static readonly Node None = new(null, null);

        /// <summary>The field behind <paramref name="key"/>: a property, the map's value schema, or null when unknown.</summary>
        public FieldSchema? Lookup(string key)
        {
            if (Type is not null)
            {
                return Type.Properties.TryGetValue(key, out var field) ? field : null;
            }

            return Values;
        }
    }

    private Node Root(string? schemaName) =>
        schemaName is not null && schemas.Find(schemaName) is { } type ? new Node(type, null) : Node.None;

    /// <summary>The node describing the value of <paramref name="field"/>.</summary>
    private Node Child(FieldSchema? field) => field?.Kind switch
    {
        FieldKind.Object when field.Ref is not null && schemas.Find(field.Ref) is { } type => new Node(type, null),
        FieldKind.Map when field.Items is not null => new Node(null, field.Items),
        _ => Node.None,
    };

    /// <summary>The node describing the elements of list <paramref name="field"/>.</summary>
    private Node Element(FieldSchema? field) => field?.Kind == FieldKind.Array ? Child(field.Items) : Node.None;

    /// <summary>
    /// The field's patch strategy with <c>retainKeys</c> split off: "merge", "replace" or "" (the default: maps merge,
    /// lists are replaced). Upstream accepts at most two comma-separated strategies, one of them retainKeys.
    /// </summary>
    private static (bool RetainKeys, string Strategy) Strategies(FieldSchema? field)
    {
        var strategies = (field?.PatchStrategy ?? "").Split(',');
        switch (strategies.Length)
        {
            case 1:
                return strategies[0] == RetainKeysStrategy ? (true, "") : (false, strategies[0]);
            case 2 when strategies[0] == RetainKeysStrategy:
                return (true, strategies[1]);
            case 2 when strategies[1] == RetainKeysStrategy:
                return (true, strategies[0]);
            default:
                throw ServerError($"unexpected patch strategy: [{string.Join(' ', strategies)}]");
        }
    }

    private static string MergeKey(FieldSchema? field) => field?.PatchMergeKey ?? "";

    /// <summary>Go's reflect.Kind name of a list's element type, as upstream names it in one error message.</summary>
    private static string ElementKindName(FieldSchema? field) => field?.Items switch
    {
        null => "interface",
        { Kind: FieldKind.String } => "string",
        { Kind: FieldKind.Integer, Format: "int32" } => "int32",
        { Kind: FieldKind.Integer } => "int64",
        { Kind: FieldKind.Number } => "float64",
        { Kind: FieldKind.Boolean } => "bool",
        { Kind: FieldKind.Map } => "map",
        { Kind: FieldKind.Array or FieldKind.Bytes } => "slice",
        { Kind: FieldKind.Any } => "interface",
        _ => "struct",
    };
}
