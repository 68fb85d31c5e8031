using System.Globalization;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Korral.Api.Models;
using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Cri.V1;
using Container = Korral.Api.Models.CoreV1.Container;

namespace Korral.Kubelet.Translation;

/// <summary>
/// A container as the CRI ContainerConfig upstream's kubelet sends (generateContainerConfig): command and args as the
/// spec gives them (expanded; the runtime merges them with the image's entrypoint and cmd), the resolved environment,
/// volume mounts then the hosts file then the termination message file, the log path, labels and annotations the
/// kubelet reads back, cgroup resources and the security context.
/// </summary>
public static class ContainerConfigBuilder
{
    public const string DefaultTerminationMessagePath = "/dev/termination-log";
    public const string DefaultTerminationMessagePolicy = "File";

    public static TranslationResult<ContainerConfig> Build(Pod pod, Container container, ContainerContext context)
    {
        if (ContainerSpecChecks.VerifyRunAsNonRoot(pod, container, context.ImageUser) is { } nonRoot)
        {
            return TranslationResult<ContainerConfig>.Fail(nonRoot);
        }

        var security = SecurityContextTranslator.ForContainer(pod, container, context.ImageUser, context.SeccompProfileRoot);
        if (!security.Succeeded)
        {
            return TranslationResult<ContainerConfig>.Fail(security.Error!);
        }

        var (command, args) = EnvironmentResolver.ExpandCommandAndArgs(container, context.Environment);
        var name = container.Name ?? "";
        var config = new ContainerConfig
        {
            Metadata = new ContainerMetadata { Name = name, Attempt = (uint)context.RestartCount },
            Image = new ImageSpec { Image = context.ImageRef, UserSpecifiedImage = container.Image ?? "" },
            WorkingDir = container.WorkingDir ?? "",
            LogPath = PodLogPaths.ContainerLogPath(name, context.RestartCount),
            Stdin = container.Stdin == true,
            StdinOnce = container.StdinOnce == true,
            Tty = container.Tty == true,
            Linux = new LinuxContainerConfig
            {
                Resources = LinuxResourceCalculator.ForContainer(pod, container, context.NodeMemoryCapacity, context.LimitSwapToMemory),
                SecurityContext = security.Value,
            },
        };
        config.Command.Add(command);
        config.Args.Add(args);
        config.Envs.Add(context.Environment.Select(e => new KeyValue { Key = e.Name, Value = ByteString.CopyFromUtf8(e.Value) }));
        config.Mounts.Add(Mounts(pod, container, context));
        config.Labels.Add(Labels(pod, container));
        config.Annotations.Add(Annotations(pod, container, context.RestartCount));
        return TranslationResult<ContainerConfig>.Ok(config);
    }

    /// <summary>The container's labels: io.kubernetes.container.name and the pod's io.kubernetes.pod.* ones.</summary>
    public static Dictionary<string, string> Labels(Pod pod, Container container) =>
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [KubeletLabels.PodName] = pod.Metadata?.Name ?? "",
            [KubeletLabels.PodNamespace] = pod.Metadata?.Namespace ?? "",
            [KubeletLabels.PodUid] = pod.Metadata?.Uid ?? "",
            [KubeletLabels.ContainerName] = container.Name ?? "",
        };

    /// <summary>
    /// The annotations the kubelet reads back from the runtime: hash, restart count, termination message path and
    /// policy, grace periods, the preStop handler and ports as JSON, and the container type.
    /// </summary>
    public static Dictionary<string, string> Annotations(Pod pod, Container container, int restartCount)
    {
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [KubeletLabels.ContainerHash] = ContainerHash.Format(ContainerHash.Compute(container)),
            [KubeletLabels.ContainerRestartCount] = restartCount.ToString(CultureInfo.InvariantCulture),
            [KubeletLabels.ContainerTerminationMessagePath] = container.TerminationMessagePath ?? DefaultTerminationMessagePath,
            [KubeletLabels.ContainerTerminationMessagePolicy] = container.TerminationMessagePolicy ?? DefaultTerminationMessagePolicy,
        };

        if (pod.Metadata?.DeletionGracePeriodSeconds is { } deletionGrace)
        {
            annotations[KubeletLabels.PodDeletionGracePeriod] = deletionGrace.ToString(CultureInfo.InvariantCulture);
        }

        if (pod.Spec?.TerminationGracePeriodSeconds is { } grace)
        {
            annotations[KubeletLabels.PodTerminationGracePeriod] = grace.ToString(CultureInfo.InvariantCulture);
        }

        if (container.Lifecycle?.PreStop is { } preStop)
        {
            annotations[KubeletLabels.ContainerPreStopHandler] = KubeJson.Serialize(preStop);
        }

        if (container.Ports is { Count: > 0 } ports)
        {
            annotations[KubeletLabels.ContainerPorts] = PortsJson(ports);
        }

        var type = (pod.Spec?.InitContainers ?? []).Any(c => c.Name == container.Name) ? "init"
            : (pod.Spec?.Containers ?? []).Any(c => c.Name == container.Name) ? "container"
            : (pod.Spec?.EphemeralContainers ?? []).Any(c => c.Name == container.Name) ? "ephemeral"
            : null;
        if (type is not null)
        {
            annotations[KubeletLabels.ContainerType] = type;
        }

        return annotations;
    }

    /// <summary>Volume mounts as given, then the managed /etc/hosts, then the termination message file.</summary>
    private static IEnumerable<Mount> Mounts(Pod pod, Container container, ContainerContext context)
    {
        foreach (var mount in context.VolumeMounts)
        {
            yield return mount;
        }

        if (context.EtcHostsHostPath is { } hostsPath && HostsFile.ShouldMount(pod, container, context.PodIPs))
        {
            yield return HostsFile.Mount(hostsPath);
        }

        var terminationPath = container.TerminationMessagePath ?? DefaultTerminationMessagePath;
        if (context.TerminationMessageHostPath is { } hostPath && terminationPath.Length > 0)
        {
            yield return new Mount { ContainerPath = terminationPath, HostPath = hostPath };
        }
    }

    /// <summary>The ports as Go marshals []v1.ContainerPort: name, hostPort, containerPort, protocol, hostIP, empty ones left out.</summary>
    private static string PortsJson(IList<ContainerPort> ports)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var port in ports)
            {
                writer.WriteStartObject();
                if (!string.IsNullOrEmpty(port.Name))
                {
                    writer.WriteString("name", port.Name);
                }

                if (port.HostPort is { } hostPort and not 0)
                {
                    writer.WriteNumber("hostPort", hostPort);
                }

                writer.WriteNumber("containerPort", port.ContainerPortValue ?? 0);
                if (!string.IsNullOrEmpty(port.Protocol))
                {
                    writer.WriteString("protocol", port.Protocol);
                }

                if (!string.IsNullOrEmpty(port.HostIP))
                {
                    writer.WriteString("hostIP", port.HostIP);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
