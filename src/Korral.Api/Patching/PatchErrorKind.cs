namespace Korral.Api.Patching;

/// <summary>How upstream (kube-apiserver 1.33) answers a patch that cannot be applied.</summary>
public enum PatchErrorKind
{
    /// <summary>The patch document itself is malformed: 400 BadRequest.</summary>
    Malformed,

    /// <summary>
    /// A well-formed patch that does not apply to this object (a failed JSON Patch <c>test</c>, a missing path): 422
    /// with reason Invalid and the fixed message <see cref="PatchException.UnprocessableMessage"/>.
    /// </summary>
    Unprocessable,

    /// <summary>
    /// A strategic merge patch the merge code rejects with a plain error (a list element without its merge key, an unknown
    /// <c>$patch</c> value): upstream returns 500 with an empty reason, which kubectl prints as <c>Error from server: …</c>.
    /// </summary>
    ServerError,
}
