namespace Korral.Api.Schema;

/// <summary>
/// One property of a <see cref="TypeSchema"/>, or the element of a list or map.
/// Patch metadata follows the schema's x-kubernetes-* extensions.
/// </summary>
public sealed record FieldSchema
{
    public required FieldKind Kind { get; init; }

    /// <summary>For <see cref="FieldKind.Object"/>: the definition name, e.g. "io.k8s.api.core.v1.PodSpec".</summary>
    public string? Ref { get; init; }

    /// <summary>For <see cref="FieldKind.Array"/> and <see cref="FieldKind.Map"/>: the element schema.</summary>
    public FieldSchema? Items { get; init; }

    /// <summary>x-kubernetes-patch-merge-key, e.g. "name" for containers.</summary>
    public string? PatchMergeKey { get; init; }

    /// <summary>x-kubernetes-patch-strategy, e.g. "merge", "retainKeys" or "merge,retainKeys".</summary>
    public string? PatchStrategy { get; init; }

    /// <summary>x-kubernetes-list-type: "atomic", "set" or "map".</summary>
    public string? ListType { get; init; }

    /// <summary>x-kubernetes-list-map-keys, for list-type map.</summary>
    public IReadOnlyList<string>? ListMapKeys { get; init; }

    /// <summary>x-kubernetes-map-type: "atomic" or "granular".</summary>
    public string? MapType { get; init; }

    /// <summary>OpenAPI format, e.g. "int32", "int64", "double", "date-time", "byte".</summary>
    public string? Format { get; init; }

    /// <summary>Allowed values when the schema lists them.</summary>
    public IReadOnlyList<string>? Enum { get; init; }
}
