namespace Korral.Streaming.RemoteCommand;

/// <summary>The protocol names kubectl and the Kubernetes clients negotiate for exec, attach and port-forward.</summary>
public static class StreamProtocols
{
    /// <summary>The HTTP Upgrade token of SPDY.</summary>
    public const string Spdy = "SPDY/3.1";

    /// <summary>The header that negotiates the channel protocol over SPDY (one line per offered version).</summary>
    public const string VersionHeader = "X-Stream-Protocol-Version";

    /// <summary>WebSocket exec/attach with the close channel (255), kubectl 1.30+.</summary>
    public const string V5 = "v5.channel.k8s.io";

    /// <summary>Exec/attach whose error channel carries a Status object (SPDY, or WebSocket for older clients).</summary>
    public const string V4 = "v4.channel.k8s.io";

    /// <summary>Native SPDY port-forward.</summary>
    public const string PortForward = "portforward.k8s.io";

    /// <summary>SPDY port-forward framed inside WebSocket binary messages, kubectl 1.31+.</summary>
    public const string PortForwardTunnel = "SPDY/3.1+portforward.k8s.io";
}
