using System.Text;
using Korral.Api.Models;
using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Cgroups;
using Korral.Kubelet.Cri;
using Korral.Kubelet.Cri.V1;
using Korral.Kubelet.Pods;
using Korral.Kubelet.Status;
using Korral.Kubelet.Translation;
using Korral.Kubelet.Volumes;
using Container = Korral.Api.Models.CoreV1.Container;
using ContainerStatus = Korral.Kubelet.Cri.V1.ContainerStatus;

namespace Korral.Kubelet.Hosting;

/// <summary>
/// The real node's <see cref="IPodParts"/>: translation to CRI configs, the volume manager, the status builder, and the
/// pod's files under the kubelet directory (etc-hosts, termination-message files) and its cgroups and log directory.
/// </summary>
public sealed class PodParts(KubeletOptions options, IImageService images, ClusterObjectSource objects, VolumeManager volumes, PodCgroups cgroups,
    Func<string> nodeIp, IReadOnlyDictionary<string, Quantity> allocatable, long nodeMemory) : IPodParts
{
    /// <summary>Upstream reads at most this much of a termination-message file, and this many log lines as the fallback.</summary>
    private const int MaxTerminationMessageBytes = 4096;
    private const int FallbackLogLines = 80;
    private const int FallbackLogBytes = 2048;

    private readonly EnvironmentResolver _environment = new(objects);
    private readonly Dictionary<string, PodVolumes> _volumes = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public PodSandboxConfig SandboxConfig(Pod pod, uint attempt)
    {
        var dns = new DnsContext(options.ClusterDns, options.ClusterDomain, ReadHostResolvConf(), [nodeIp()]);
        var context = new SandboxContext(dns, attempt, PodCgroups.ParentFor(PodQos.Of(pod), pod.Metadata!.Uid!), options.PodLogRoot);
        var result = SandboxConfigBuilder.Build(pod, context);
        return result.Value ?? throw new InvalidOperationException(result.Error);
    }

    public async Task<string?> SetUpVolumesAsync(Pod pod, CancellationToken cancellationToken)
    {
        try
        {
            var set = await volumes.SetUpAsync(pod, new VolumeNodeContext(options.NodeName, allocatable), cancellationToken);
            lock (_lock)
            {
                _volumes[pod.Metadata!.Uid!] = set;
            }

            return null;
        }
        catch (VolumeSetupException e)
        {
            return string.Join("; ", e.Failures.Select(f => f.Message));
        }
    }

    public async Task WriteHostsFileAsync(Pod pod, string? podIp, CancellationToken cancellationToken)
    {
        var hostname = PodHostname.Generate(pod, options.ClusterDomain);
        if (hostname.Value is null)
        {
            return;
        }

        var content = pod.Spec?.HostNetwork == true
            ? HostsFile.ForHostNetwork(File.Exists("/etc/hosts") ? await File.ReadAllTextAsync("/etc/hosts", cancellationToken) : "", pod.Spec.HostAliases)
            : HostsFile.ForPodNetwork(podIp is null ? [] : [podIp], hostname.Value, pod.Spec?.HostAliases);
        var path = HostsPath(pod.Metadata!.Uid!);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path + ".tmp", content, cancellationToken);
        File.Move(path + ".tmp", path, overwrite: true);
    }

    public async Task<(ContainerConfig? Config, string? Error)> ContainerConfigAsync(Pod pod, Container container, uint attempt, string imageRef, string? podIp,
        CancellationToken cancellationToken)
    {
        var podIps = podIp is null ? Array.Empty<string>() : [podIp];
        var env = _environment.Resolve(pod, container, new EnvironmentContext(podIps, [nodeIp()], allocatable));
        if (env.Value is null)
        {
            return (null, env.Error);
        }

        PodVolumes? set;
        lock (_lock)
        {
            set = _volumes.GetValueOrDefault(pod.Metadata!.Uid!);
        }

        IReadOnlyList<Mount> mounts;
        try
        {
            mounts = set is null ? [] : volumes.MountsFor(pod, container, set, env.Value.ToDictionary(e => e.Name, e => e.Value, StringComparer.Ordinal));
        }
        catch (ContainerMountException e)
        {
            return (null, e.Message);
        }

        var image = (await images.ImageStatusAsync(new ImageStatusRequest { Image = new ImageSpec { Image = imageRef } }, cancellationToken)).Image;
        var terminationPath = TerminationMessagePath(pod.Metadata!.Uid!, container.Name!, attempt);
        Directory.CreateDirectory(Path.GetDirectoryName(terminationPath)!);
        if (!File.Exists(terminationPath))
        {
            await File.WriteAllBytesAsync(terminationPath, [], cancellationToken);
            if (OperatingSystem.IsLinux())
            {
                File.SetUnixFileMode(terminationPath, (UnixFileMode)0b110_110_110);
            }
        }

        var context = new ContainerContext(env.Value, mounts, imageRef, (int)attempt, ImageUser.FromImage(image), nodeMemory, podIps)
        {
            TerminationMessageHostPath = terminationPath,
            EtcHostsHostPath = HostsFile.ShouldMount(pod, container, podIps) ? HostsPath(pod.Metadata.Uid!) : null,
        };
        var config = ContainerConfigBuilder.Build(pod, container, context);
        return config.Value is null ? (null, config.Error) : (config.Value, null);
    }

    public PodStatus BuildStatus(Pod pod, PodRuntimeState state, PodStatus? previous, bool terminal) =>
        PodStatusBuilder.Build(pod, state, new PodStatusContext
        {
            HostIPs = [nodeIp()],
            Now = options.Time.GetUtcNow(),
            PodIsTerminal = terminal,
            Previous = previous,
            ReadyContainers = state.ReadyContainers,
            StartedContainers = state.StartedContainers,
        });

    public string? StatusPatch(Pod pod, PodStatus next) =>
        PodStatusComparison.NeedsUpdate(pod, next) ? PodStatusPatch.Create(pod, next) : null;

    public string? TerminationMessage(Pod pod, Container container, ContainerStatus status)
    {
        var path = TerminationMessagePath(pod.Metadata!.Uid!, container.Name!, status.Metadata?.Attempt ?? 0);
        var message = ReadHead(path, MaxTerminationMessageBytes);
        if (string.IsNullOrEmpty(message) && container.TerminationMessagePolicy == "FallbackToLogsOnError" && status.ExitCode != 0)
        {
            message = LogTail(status.LogPath);
        }

        return string.IsNullOrEmpty(message) ? null : message;
    }

    public async Task TearDownAsync(string uid, Pod? pod, CancellationToken cancellationToken)
    {
        await volumes.TearDownAsync(uid, cancellationToken);
        lock (_lock)
        {
            _volumes.Remove(uid);
        }

        var removal = cgroups.RemovePod(uid);
        if (!removal.Complete)
        {
            options.Log($"kubelet: pod {uid}: cgroups left behind: {string.Join(", ", removal.Failed)}");
        }

        TryDelete(Path.Combine(options.KubeletDir, "pods", uid));
        if (Directory.Exists(options.PodLogRoot))
        {
            foreach (var dir in Directory.EnumerateDirectories(options.PodLogRoot, $"*_{uid}"))
            {
                TryDelete(dir);
            }
        }
    }

    public async Task CleanUpOrphansAsync(IReadOnlySet<string> livePodUids, CancellationToken cancellationToken)
    {
        // Only pods this kubelet ran (their directories are under its own kubelet dir): other nodes on the same machine
        // (tests, a server beside an agent) share /sys/fs/cgroup/kubepods.
        foreach (var uid in await volumes.CleanupOrphansAsync(livePodUids, cancellationToken))
        {
            options.Log($"kubelet: removed the volumes of orphaned pod {uid}");
            cgroups.RemovePod(uid);
        }
    }

    private string HostsPath(string uid) => Path.Combine(options.KubeletDir, "pods", uid, HostsFile.FileName);

    private string TerminationMessagePath(string uid, string container, uint attempt) =>
        Path.Combine(options.KubeletDir, "pods", uid, "containers", container, $"termination-log.{attempt}");

    private string? ReadHostResolvConf() => File.Exists(options.HostResolvConf) ? File.ReadAllText(options.HostResolvConf) : null;

    private static string? ReadHead(string path, int max)
    {
        try
        {
            using var file = File.OpenRead(path);
            var buffer = new byte[max];
            var read = file.ReadAtLeast(buffer, max, throwOnEndOfStream: false);
            return Encoding.UTF8.GetString(buffer, 0, read);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The last lines of a CRI log file, without the timestamp/stream/tag prefix.</summary>
    private static string? LogTail(string? logPath)
    {
        if (string.IsNullOrEmpty(logPath) || !File.Exists(logPath))
        {
            return null;
        }

        var lines = File.ReadLines(logPath).TakeLast(FallbackLogLines)
            .Select(l => l.Split(' ', 4) is { Length: 4 } parts ? parts[3] : l);
        var text = string.Join('\n', lines);
        return text.Length > FallbackLogBytes ? text[^FallbackLogBytes..] : text;
    }

    private void TryDelete(string dir)
    {
        try
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
        catch (IOException e)
        {
            options.Log($"kubelet: could not remove {dir}: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            options.Log($"kubelet: could not remove {dir}: {e.Message}");
        }
    }
}
