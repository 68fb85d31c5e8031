namespace Korral.Api.ManagedFields;

/// <summary>An object that does not fit its schema as the field manager reads it (duplicate keys, wrong shapes).</summary>
internal sealed class TypedValueException(IReadOnlyList<string> errors)
    : Exception(errors.Count == 1 ? errors[0] : "errors:\n" + string.Join("\n", errors.Select(e => "  " + e)))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
