namespace Korral.ApiServer.Errors;

/// <summary>One cause of a failure, as metav1.StatusCause: a reason such as FieldValueInvalid, a message and a field path.</summary>
public sealed record StatusCause(string Reason, string Message, string? Field);
