using System.Text.Json.Nodes;

namespace Korral.Api.Validation.Rules;

/// <summary>Small checks shared by many kinds, with upstream's messages.</summary>
public static class CommonRules
{
    public const string FieldImmutable = "field is immutable";
    public const string IsNegative = "must be greater than or equal to 0";
    public const string NotPositive = "must be greater than zero";

    /// <summary><c>path: Invalid value: -1: must be greater than or equal to 0</c>.</summary>
    public static FieldErrorList NonNegative(long value, FieldPath path) =>
        value < 0 ? [FieldError.Invalid(path, value, IsNegative)] : [];

    /// <summary>The same check for an optional integer field (absent passes).</summary>
    public static FieldErrorList NonNegative(JsonNode? parent, string field, FieldPath parentPath) =>
        JsonAccess.Long(parent, field) is { } v ? NonNegative(v, parentPath.Child(field)) : [];

    /// <summary>
    /// <c>path: Invalid value: new: field is immutable</c> when the values differ semantically;
    /// <paramref name="rendered"/> overrides how the new value prints (Go struct syntax).
    /// </summary>
    public static FieldErrorList Immutable(JsonNode? newValue, JsonNode? oldValue, FieldPath path, object? rendered = null) =>
        JsonAccess.SemanticEquals(newValue, oldValue)
            ? []
            : [FieldError.Invalid(path, rendered ?? (object?)newValue ?? new GoLiteral("null"), FieldImmutable)];
}
