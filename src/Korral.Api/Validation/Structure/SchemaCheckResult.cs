namespace Korral.Api.Validation.Structure;

/// <summary>
/// What a walk of an object against its schema found: values of the wrong type, fields the schema does not know,
/// and required fields that are missing. How each is answered depends on the server:
/// <list type="bullet">
/// <item>Built-in kinds: any <see cref="DecodeErrors"/> → 400 BadRequest with <see cref="CannotBeHandled"/> of the
/// first one; then <see cref="UnknownFields"/> per <c>fieldValidation</c> (Strict → 400 with
/// <see cref="StrictDecodingMessage"/>, Warn → one warning per field from <see cref="UnknownFieldWarnings"/>, Ignore →
/// drop them). <see cref="MissingRequired"/> is not enforced for built-ins (their per-kind rules say it).</item>
/// <item>Custom resources: <see cref="TypeErrors"/> and <see cref="MissingRequired"/> → 422 Invalid.</item>
/// </list>
/// </summary>
public sealed class SchemaCheckResult
{
    public SchemaCheckResult(IReadOnlyList<DecodeError> decodeErrors, FieldErrorList typeErrors, IReadOnlyList<string> unknownFields,
        FieldErrorList missingRequired)
    {
        DecodeErrors = decodeErrors;
        TypeErrors = typeErrors;
        UnknownFields = unknownFields;
        MissingRequired = missingRequired;
    }

    /// <summary>Type mismatches in document order, worded as the Go decoder words them.</summary>
    public IReadOnlyList<DecodeError> DecodeErrors { get; }

    /// <summary>The same mismatches worded as OpenAPI schema validation words them (used for custom resources).</summary>
    public FieldErrorList TypeErrors { get; }

    /// <summary>Paths of fields the schema does not define, in document order, e.g. <c>spec.template.spec.containers[0].imagePullPolice</c>.</summary>
    public IReadOnlyList<string> UnknownFields { get; }

    /// <summary>Fields the schema marks required that are absent.</summary>
    public FieldErrorList MissingRequired { get; }

    public bool IsClean => DecodeErrors.Count == 0 && UnknownFields.Count == 0 && MissingRequired.IsEmpty;

    /// <summary><c>strict decoding error: unknown field "spec.foo", unknown field "spec.bar"</c>; null when none.</summary>
    public string? StrictDecodingMessage => UnknownFields.Count == 0
        ? null
        : "strict decoding error: " + string.Join(", ", UnknownFieldWarnings);

    /// <summary>One warning per unknown field for <c>fieldValidation=Warn</c>: <c>unknown field "spec.foo"</c>.</summary>
    public IReadOnlyList<string> UnknownFieldWarnings => UnknownFields.Select(f => "unknown field " + GoSyntax.Quote(f)).ToList();

    /// <summary>
    /// The 400 BadRequest message upstream returns when a body cannot be decoded:
    /// <c>Deployment in version "v1" cannot be handled as a Deployment: &lt;detail&gt;</c>.
    /// </summary>
    public static string CannotBeHandled(string kind, string version, string detail) =>
        $"{kind} in version {GoSyntax.Quote(version)} cannot be handled as a {kind}: {detail}";
}
