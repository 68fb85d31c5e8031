namespace Korral.Api.Patching;

/// <summary>A patch that cannot be applied: malformed (400) or failing a test or a path (422 upstream).</summary>
public sealed class PatchException(string message, bool malformed = false) : Exception(message)
{
    /// <summary>Whether the patch document itself is malformed, rather than not applicable to this object.</summary>
    public bool Malformed { get; } = malformed;
}
