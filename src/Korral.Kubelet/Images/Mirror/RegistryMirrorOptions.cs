namespace Korral.Kubelet.Images.Mirror;

/// <summary>Where the embedded registry mirror listens (always 127.0.0.1) and where it logs.</summary>
public sealed record RegistryMirrorOptions
{
    /// <summary>The TCP port on 127.0.0.1; 0 (the default) picks a free one, see <see cref="RegistryMirror.Endpoint"/>.</summary>
    public int Port { get; init; }

    /// <summary>Receives one line per request the store cannot answer (a name or tag it lacks), so air-gap gaps are visible.</summary>
    public Action<string> Log { get; init; } = _ => { };

    public IReadOnlyList<string> Validate() =>
        Port is < 0 or > 65535 ? [$"registry mirror port must be between 0 and 65535 (got {Port})"] : [];
}
