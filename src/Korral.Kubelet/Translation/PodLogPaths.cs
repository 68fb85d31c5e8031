using System.Globalization;

namespace Korral.Kubelet.Translation;

/// <summary>
/// Where container logs go, as upstream lays them out: the sandbox's log directory
/// <c>&lt;root&gt;/&lt;namespace&gt;_&lt;pod&gt;_&lt;uid&gt;</c> and, relative to it, <c>&lt;container&gt;/&lt;restart count&gt;.log</c>.
/// containerd creates both the directory and the file.
/// </summary>
public static class PodLogPaths
{
    /// <summary>The kubelet's default pod log root (--pod-logs-dir).</summary>
    public const string DefaultRoot = "/var/log/pods";

    public static string PodDirectory(string root, string podNamespace, string podName, string podUid) =>
        Path.Combine(root, $"{podNamespace}_{podName}_{podUid}");

    /// <summary>A container's log path relative to its pod's directory (ContainerConfig.log_path).</summary>
    public static string ContainerLogPath(string containerName, int restartCount) =>
        Path.Combine(containerName, restartCount.ToString(CultureInfo.InvariantCulture) + ".log");
}
