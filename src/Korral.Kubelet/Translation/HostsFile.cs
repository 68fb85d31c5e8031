using System.Text;
using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Cri.V1;
using Container = Korral.Api.Models.CoreV1.Container;

namespace Korral.Kubelet.Translation;

/// <summary>
/// The /etc/hosts the kubelet writes for a pod (<c>&lt;kubelet dir&gt;/pods/&lt;uid&gt;/etc-hosts</c>, mode 0644) and bind-mounts
/// into each of its containers: localhost entries plus the pod's own name on a pod network, the node's hosts file on the
/// host network, then spec.hostAliases. The caller writes the file; this only says what it holds and where it goes.
/// </summary>
public static class HostsFile
{
    public const string ContainerPath = "/etc/hosts";

    /// <summary>The file's name in the pod directory.</summary>
    public const string FileName = "etc-hosts";

    private const string ManagedHeader = "# Kubernetes-managed hosts file.\n";
    private const string HostNetworkHeader = "# Kubernetes-managed hosts file (host network).\n";

    /// <summary>The hosts file of a pod on the pod network: localhost, then each pod IP with its FQDN (when it has a domain) and name.</summary>
    public static string ForPodNetwork(IReadOnlyList<string> podIPs, PodHostname hostname, IList<HostAlias>? hostAliases)
    {
        var output = new StringBuilder(ManagedHeader)
            .Append("127.0.0.1\tlocalhost\n")
            .Append("::1\tlocalhost ip6-localhost ip6-loopback\n")
            .Append("fe00::0\tip6-localnet\n")
            .Append("fe00::0\tip6-mcastprefix\n")
            .Append("fe00::1\tip6-allnodes\n")
            .Append("fe00::2\tip6-allrouters\n");
        foreach (var ip in podIPs)
        {
            output.Append(ip).Append('\t');
            if (hostname.Domain.Length > 0)
            {
                output.Append(hostname.Hostname).Append('.').Append(hostname.Domain).Append('\t');
            }

            output.Append(hostname.Hostname).Append('\n');
        }

        return AppendAliases(output, hostAliases).ToString();
    }

    /// <summary>The hosts file of a host-network pod: the node's own hosts file (<paramref name="nodeHostsContent"/>) under a header, then the aliases.</summary>
    public static string ForHostNetwork(string nodeHostsContent, IList<HostAlias>? hostAliases) =>
        AppendAliases(new StringBuilder(HostNetworkHeader).Append(nodeHostsContent), hostAliases).ToString();

    /// <summary>
    /// Whether a container gets the managed hosts file: the pod has an IP or is on the host network, and the container
    /// does not mount a volume at /etc/hosts itself.
    /// </summary>
    public static bool ShouldMount(Pod pod, Container container, IReadOnlyList<string> podIPs) =>
        (podIPs.Count > 0 || pod.Spec?.HostNetwork == true)
        && (container.VolumeMounts ?? []).All(m => m.MountPath != ContainerPath);

    /// <summary>The mount of the hosts file written at <paramref name="hostPath"/> (read-write, as upstream).</summary>
    public static Mount Mount(string hostPath) => new() { ContainerPath = ContainerPath, HostPath = hostPath };

    private static StringBuilder AppendAliases(StringBuilder output, IList<HostAlias>? hostAliases)
    {
        if (hostAliases is null || hostAliases.Count == 0)
        {
            return output;
        }

        output.Append("\n# Entries added by HostAliases.\n");
        foreach (var alias in hostAliases)
        {
            output.Append(alias.Ip).Append('\t').AppendJoin('\t', alias.Hostnames ?? []).Append('\n');
        }

        return output;
    }
}
