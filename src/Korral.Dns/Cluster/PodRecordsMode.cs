namespace Korral.Dns.Cluster;

/// <summary>
/// How <c>&lt;a-b-c-d&gt;.&lt;ns&gt;.pod.&lt;zone&gt;</c> is answered, as CoreDNS's <c>pods</c> option: k3s and kubeadm
/// configure <see cref="Insecure"/>.
/// </summary>
public enum PodRecordsMode
{
    /// <summary>No pod records: NXDOMAIN.</summary>
    Disabled,

    /// <summary>Any well-formed dashed address answers with that address, without looking at pods (kube-dns's behaviour).</summary>
    Insecure,

    /// <summary>Only when a pod with that IP runs in that namespace (needs the pod informer).</summary>
    Verified,
}
