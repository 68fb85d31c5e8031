namespace Korral.ApiServer.Kubelets;

/// <summary>How the API server reaches kubelets (upstream's --kubelet-* flags; defaults as k3s sets them).</summary>
public sealed record KubeletClientOptions
{
    /// <summary>The user (CN) of the client certificate the API server presents to kubelets.</summary>
    public const string ClientUser = "kube-apiserver-kubelet-client";

    /// <summary>The group (O) of that certificate: kubelets authorize system:masters for their whole API.</summary>
    public const string ClientGroup = "system:masters";

    /// <summary>--kubelet-port: used when a node does not report status.daemonEndpoints.kubeletEndpoint.Port (default 10250).</summary>
    public int DefaultPort { get; init; } = 10250;

    /// <summary>--kubelet-preferred-address-types: which node address to dial, first match wins (k3s: InternalIP,ExternalIP,Hostname).</summary>
    public IReadOnlyList<string> PreferredAddressTypes { get; init; } = ["InternalIP", "ExternalIP", "Hostname"];

    /// <summary>--kubelet-timeout: how long connecting (TCP and TLS) to a kubelet may take (default 5 s). Streams themselves have no limit.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
