namespace Korral.Api.Patching;

/// <summary>
/// A patch that cannot be applied. <see cref="Kind"/> says which status upstream answers with (400, 422 or 500);
/// the message is upstream's, word for word, so clients that match on it keep working.
/// </summary>
public sealed class PatchException : Exception
{
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

    /// <summary>The HTTP status upstream answers with: 400, 422 or 500.</summary>
    public int StatusCode => Kind switch
    {
        PatchErrorKind.Malformed => 400,
        PatchErrorKind.Unprocessable => 422,
        _ => 500,
    };
}
