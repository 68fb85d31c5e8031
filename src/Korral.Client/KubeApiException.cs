using System.Net;
using Korral.Api.Models.MetaV1;

namespace Korral.Client;

/// <summary>
/// An error answer of the API server, carrying its <c>Status</c> (code, reason, message, details). Every failed call of
/// <see cref="KubeClient"/> throws this, so callers branch on <see cref="IsNotFound"/>, <see cref="IsConflict"/>… rather
/// than on HTTP codes. A watch's ERROR event (e.g. 410 Expired) is thrown as this too.
/// </summary>
public sealed class KubeApiException : Exception
{
    public KubeApiException(Status status)
        : base(Describe(status))
    {
        Status = status;
    }

    public KubeApiException(Status status, Exception? inner)
        : base(Describe(status), inner)
    {
        Status = status;
    }

    /// <summary>The Status the server sent, or one made up from the HTTP code when the body was not a Status.</summary>
    public Status Status { get; }

    /// <summary>The HTTP code (Status.code).</summary>
    public int Code => Status.Code ?? 0;

    /// <summary>The reason (NotFound, AlreadyExists, Conflict, Invalid, Expired…), empty when the server gave none.</summary>
    public string Reason => Status.Reason ?? "";

    /// <summary>How long the server asked the client to wait (Retry-After or details.retryAfterSeconds), if it did.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public bool IsNotFound => Reason == StatusReasons.NotFound || (Reason.Length == 0 && Code == 404);

    /// <summary>A write lost an optimistic-concurrency race (stale resourceVersion): read again and retry.</summary>
    public bool IsConflict => Reason == StatusReasons.Conflict || (Reason.Length == 0 && Code == 409);

    public bool IsAlreadyExists => Reason == StatusReasons.AlreadyExists;

    /// <summary>410: the resourceVersion is older than the server's window (reason Expired or Gone): list again.</summary>
    public bool IsGone => Code == 410 || Reason is StatusReasons.Expired or StatusReasons.Gone;

    public bool IsInvalid => Reason == StatusReasons.Invalid || (Reason.Length == 0 && Code == 422);

    public bool IsForbidden => Reason == StatusReasons.Forbidden || (Reason.Length == 0 && Code == 403);

    public bool IsUnauthorized => Reason == StatusReasons.Unauthorized || (Reason.Length == 0 && Code == 401);

    public bool IsTooManyRequests => Reason == StatusReasons.TooManyRequests || Code == 429;

    /// <summary>A Status for an HTTP answer whose body was not one, with upstream's reason for the code.</summary>
    public static Status StatusFor(HttpStatusCode code, string message) => new()
    {
        Kind = "Status",
        ApiVersion = "v1",
        StatusValue = "Failure",
        Code = (int)code,
        Reason = StatusReasons.ForCode((int)code),
        Message = message,
    };

    private static string Describe(Status status)
    {
        var reason = string.IsNullOrEmpty(status.Reason) ? "" : $" ({status.Reason})";
        return $"{status.Code}{reason}: {status.Message}";
    }
}
