namespace Korral.Streaming.RemoteCommand;

/// <summary>The first byte of each binary message of the channel.k8s.io WebSocket protocols.</summary>
internal static class RemoteCommandChannels
{
    public const byte Stdin = 0;
    public const byte Stdout = 1;
    public const byte Stderr = 2;
    public const byte Status = 3;
    public const byte Resize = 4;

    /// <summary>v5 only: the payload is the channel the client closes (kubectl sends 0 at the end of its stdin).</summary>
    public const byte Close = 255;
}
