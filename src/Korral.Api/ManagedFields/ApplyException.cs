namespace Korral.Api.ManagedFields;

/// <summary>
/// A server-side apply refused before any merge, carrying the Status upstream answers with: 400 BadRequest (wrong
/// kind, managedFields in the body) or 500 with an empty reason (an applied object that does not fit its schema, or
/// undecodable managedFields on the live object).
/// </summary>
public sealed class ApplyException(int code, string reason, string message) : Exception(message)
{
    public int Code { get; } = code;

    /// <summary>The Status reason: "BadRequest", or "" for upstream's unclassified 500s.</summary>
    public string Reason { get; } = reason;

    public static ApplyException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApplyException Internal(string message) => new(500, "", message);
}
