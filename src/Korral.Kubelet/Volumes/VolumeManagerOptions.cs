namespace Korral.Kubelet.Volumes;

/// <summary>Settings of a <see cref="VolumeManager"/>.</summary>
public sealed record VolumeManagerOptions
{
    /// <summary>The kubelet directory; pod volumes live in pods/&lt;uid&gt;/volumes/&lt;plugin&gt;/&lt;name&gt; below it.</summary>
    public string KubeletDirectory { get; init; } = "/var/lib/korral/agent/kubelet";

    /// <summary>
    /// The cluster CA bundle (PEM) the node trusts. Upstream publishes it in every namespace as the
    /// <c>kube-root-ca.crt</c> ConfigMap (key ca.crt), which every kube-api-access volume projects without being
    /// optional; when that ConfigMap does not exist the manager projects this bundle instead, so pods still start.
    /// Null: the ca.crt file is left out (logged once).
    /// </summary>
    public string? ClusterCaBundle { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public Action<string> Log { get; init; } = _ => { };
}
