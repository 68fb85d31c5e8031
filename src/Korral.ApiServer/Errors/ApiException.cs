using System.Text.Json.Nodes;

namespace Korral.ApiServer.Errors;

/// <summary>
/// The one exception family of the API surface: each instance maps 1:1 to a metav1.Status reply
/// (code, reason, message, details), so kubectl prints its usual "Error from server (Reason): message".
/// </summary>
public sealed class ApiException : Exception
{
    public ApiException(int code, string reason, string message, string? name = null, string? group = null, string? kind = null,
        IReadOnlyList<StatusCause>? causes = null, int? retryAfterSeconds = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Name = name;
        Group = group;
        Kind = kind;
        Causes = causes ?? [];
        RetryAfterSeconds = retryAfterSeconds;
    }

    public int Code { get; }

    public string Reason { get; }

    public string? Name { get; }

    public string? Group { get; }

    public string? Kind { get; }

    public IReadOnlyList<StatusCause> Causes { get; }

    public int? RetryAfterSeconds { get; }

    /// <summary>The metav1.Status object for this error.</summary>
    public JsonObject ToStatus()
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = Message,
        };
        if (Reason.Length > 0)
        {
            // A Status a handler returns as its result carries no reason (the eviction's "more than one budget" 500).
            status["reason"] = Reason;
        }

        if (Name is not null || Kind is not null || Causes.Count > 0 || RetryAfterSeconds is not null)
        {
            var details = new JsonObject();
            if (Name is not null)
            {
                details["name"] = Name;
            }

            if (!string.IsNullOrEmpty(Group))
            {
                details["group"] = Group;
            }

            if (Kind is not null)
            {
                details["kind"] = Kind;
            }

            if (Causes.Count > 0)
            {
                var causes = new JsonArray();
                foreach (var c in Causes)
                {
                    var cause = new JsonObject { ["reason"] = c.Reason, ["message"] = c.Message };
                    if (c.Field is not null)
                    {
                        cause["field"] = c.Field;
                    }

                    causes.Add(cause);
                }

                details["causes"] = causes;
            }

            if (RetryAfterSeconds is { } retry)
            {
                details["retryAfterSeconds"] = retry;
            }

            status["details"] = details;
        }

        status["code"] = Code;
        return status;
    }
}
