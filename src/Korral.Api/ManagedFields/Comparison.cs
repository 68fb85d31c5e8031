namespace Korral.Api.ManagedFields;

/// <summary>What changed between two versions of an object: fields added, modified (leaf values) and removed.</summary>
internal sealed class Comparison(FieldSet added, FieldSet modified, FieldSet removed)
{
    public FieldSet Added { get; } = added;

    public FieldSet Modified { get; } = modified;

    public FieldSet Removed { get; } = removed;

    public bool IsSame => Added.IsEmpty && Modified.IsEmpty && Removed.IsEmpty;

    /// <summary>Drops <paramref name="fields"/> and everything below them from all three sets.</summary>
    public Comparison Exclude(FieldSet? fields) => fields is null || fields.IsEmpty
        ? this
        : new Comparison(Added.RecursiveDifference(fields), Modified.RecursiveDifference(fields), Removed.RecursiveDifference(fields));
}
