namespace Korral.Api.Validation;

/// <summary>
/// One entry of <c>Status.details.causes</c> for a 422 Invalid response: <c>reason</c> (e.g. FieldValueRequired),
/// <c>message</c> (the error body without the field) and <c>field</c>.
/// </summary>
public sealed record FieldErrorCause(string Reason, string Message, string Field);
