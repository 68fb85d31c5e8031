namespace Korral.Api.Patching;

/// <summary>
/// A patch that cannot be applied. <see cref="Kind"/> says which status upstream answers with (400, 422 or 500);
/// the message is upstream's, word for word, so clients that match on it keep working.
/// </summary>
public sealed class PatchException : Exception
{
    /// <summary>Upstream's Status message for a 422 patch error (reason Invalid, no causes).</summary>
    public const string UnprocessableMessage = "the server rejected our request due to an error in our request";

    /// <summary>A malformed patch (400) when <paramref name="malformed"/>, otherwise one that does not apply (422).</summary>
    public PatchException(string message, bool malformed = false)
        : this(message, malformed ? PatchErrorKind.Malformed : PatchErrorKind.Unprocessable)
    {
    }

    public PatchException(string message, PatchErrorKind kind)
        : base(message)
    {
        Kind = kind;
    }

    public PatchErrorKind Kind { get; }

    /// <summary>Whether the patch document itself is malformed, rather than not applicable to this object.</summary>
    public bool Malformed => Kind == PatchErrorKind.Malformed;

    /// <summary>
    /// The message of the <c>Status</c> upstream answers with. A 422 carries a fixed text (the engine's message stays
    /// in its logs), which kubectl prints as <c>The request is invalid: the server rejected our request due to an
    /// error in our request</c>; 400 and 500 carry <see cref="Exception.Message"/>.
    /// </summary>
    public string StatusMessage => Kind == PatchErrorKind.Unprocessable ? UnprocessableMessage : Message;

    /// <summary>The HTTP status upstream answers with: 400, 422 or 500.</summary>
    public int StatusCode => Kind switch
    {
        PatchErrorKind.Malformed => 400,
        PatchErrorKind.Unprocessable => 422,
        _ => 500,
    };
}
