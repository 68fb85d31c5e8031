using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Cri.V1;

namespace Korral.Kubelet.Translation;

/// <summary>
/// A pod as the CRI PodSandboxConfig upstream's kubelet sends (generatePodSandboxConfig): metadata, hostname (none on
/// the host network: the runtime keeps the node's), log directory, DNS by dnsPolicy, a port mapping for every container
/// port (the runtime only acts on those with a hostPort), the pod's labels plus the io.kubernetes.pod.* ones, the pod's
/// annotations, and the Linux part: cgroup parent, sysctls, security context, pod resources and overhead.
/// </summary>
public static class SandboxConfigBuilder
{
    public static TranslationResult<PodSandboxConfig> Build(Pod pod, SandboxContext context)
    {
        var meta = pod.Metadata;
        var name = meta?.Name ?? "";
        var ns = meta?.Namespace ?? "";
        var uid = meta?.Uid ?? "";
        var warnings = new List<TranslationWarning>();

        var dns = PodDnsConfig.Build(pod, context.Dns);
        warnings.AddRange(dns.Warnings);

        var config = new PodSandboxConfig
        {
            Metadata = new PodSandboxMetadata { Name = name, Namespace = ns, Uid = uid, Attempt = context.Attempt },
            DnsConfig = dns.Value,
            LogDirectory = PodLogPaths.PodDirectory(context.PodLogsRoot, ns, name, uid),
        };

        if (pod.Spec?.HostNetwork != true)
        {
            var hostname = PodHostname.Generate(pod, context.Dns.ClusterDomain);
            if (!hostname.Succeeded)
            {
                return TranslationResult<PodSandboxConfig>.Fail(hostname.Error!, warnings);
            }

            var kernelHostname = hostname.Value!.KernelHostname(pod.Spec?.SetHostnameAsFQDN == true);
            if (!kernelHostname.Succeeded)
            {
                return TranslationResult<PodSandboxConfig>.Fail(kernelHostname.Error!, warnings);
            }

            config.Hostname = kernelHostname.Value;
        }

        config.Labels.Add(PodLabels(pod));
        if (meta?.Annotations is { } annotations)
        {
            config.Annotations.Add(annotations);
        }

        config.PortMappings.Add(PortMappings(pod));

        var linux = new LinuxPodSandboxConfig
        {
            CgroupParent = context.CgroupParent,
            SecurityContext = SecurityContextTranslator.ForSandbox(pod),
            Resources = LinuxResourceCalculator.ForSandbox(pod),
            Overhead = LinuxResourceCalculator.Overhead(pod),
        };
        foreach (var sysctl in pod.Spec?.SecurityContext?.Sysctls ?? [])
        {
            linux.Sysctls[sysctl.Name ?? ""] = sysctl.Value ?? "";
        }

        config.Linux = linux;
        return TranslationResult<PodSandboxConfig>.Ok(config, warnings);
    }

    /// <summary>The sandbox labels: the pod's own plus io.kubernetes.pod.name, .namespace and .uid.</summary>
    public static Dictionary<string, string> PodLabels(Pod pod)
    {
        var labels = new Dictionary<string, string>(pod.Metadata?.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [KubeletLabels.PodName] = pod.Metadata?.Name ?? "",
            [KubeletLabels.PodNamespace] = pod.Metadata?.Namespace ?? "",
            [KubeletLabels.PodUid] = pod.Metadata?.Uid ?? "",
        };
        return labels;
    }

    /// <summary>
    /// One mapping per port of the pod's (regular) containers, in order, skipping a repeated port name within a
    /// container (an unnamed port is named by family, protocol, host IP and ports, as upstream does).
    /// </summary>
    public static IReadOnlyList<PortMapping> PortMappings(Pod pod)
    {
        var result = new List<PortMapping>();
        foreach (var container in pod.Spec?.Containers ?? [])
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var port in container.Ports ?? [])
            {
                var hostIP = port.HostIP ?? "";
                var family = hostIP.Length == 0 ? "any" : hostIP.Contains(':', StringComparison.Ordinal) ? "v6" : "v4";
                var name = string.IsNullOrEmpty(port.Name)
                    ? $"{family}-{port.Protocol}-{hostIP}:{port.ContainerPortValue ?? 0}:{port.HostPort ?? 0}"
                    : port.Name;
                if (!names.Add(name))
                {
                    continue;
                }

                result.Add(new PortMapping
                {
                    Protocol = port.Protocol switch { "UDP" => Protocol.Udp, "SCTP" => Protocol.Sctp, _ => Protocol.Tcp },
                    ContainerPort = port.ContainerPortValue ?? 0,
                    HostPort = port.HostPort ?? 0,
                    HostIp = hostIP,
                });
            }
        }

        return result;
    }
}
