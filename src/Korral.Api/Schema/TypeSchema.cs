namespace Korral.Api.Schema;

/// <summary>One named definition of the API schema, e.g. io.k8s.api.core.v1.Pod.</summary>
public sealed record TypeSchema
{
    /// <summary>The definition name, e.g. "io.k8s.api.core.v1.Pod".</summary>
    public required string Name { get; init; }

    public required IReadOnlyDictionary<string, FieldSchema> Properties { get; init; }

    public IReadOnlyList<string> Required { get; init; } = [];

    /// <summary>x-kubernetes-group-version-kind: the kinds this definition is the top-level object of.</summary>
    public IReadOnlyList<GroupVersionKind> Kinds { get; init; } = [];

    /// <summary>x-kubernetes-preserve-unknown-fields or a free-form object: unknown fields are kept, not refused.</summary>
    public bool PreserveUnknownFields { get; init; }
}
