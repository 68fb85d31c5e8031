namespace Korral.ApiServer.Registry;

public enum PropagationPolicy
{
    Background,
    Foreground,
    Orphan,
}

/// <summary>metav1.DeleteOptions as far as the server honours them.</summary>
public sealed record DeleteOptions(
    long? GracePeriodSeconds = null,
    PropagationPolicy? Propagation = null,
    string? PreconditionUid = null,
    string? PreconditionResourceVersion = null,
    bool DryRun = false);
