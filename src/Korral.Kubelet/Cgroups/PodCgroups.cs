namespace Korral.Kubelet.Cgroups;

/// <summary>
/// Pod-level cgroups under the cgroupfs driver. The kubelet names a pod's cgroup parent by QoS class, runc creates it in
/// every hierarchy when the sandbox starts, and nobody removes it afterwards (containerd leaves it behind after
/// RemovePodSandbox), so the kubelet does. Works on v1, hybrid (v1 controllers plus cgroup2 at unified/) and pure v2.
/// </summary>
public sealed class PodCgroups(string root = PodCgroups.DefaultRoot)
{
    public const string DefaultRoot = "/sys/fs/cgroup";

    public const string Guaranteed = "Guaranteed";
    public const string Burstable = "Burstable";
    public const string BestEffort = "BestEffort";

    private static readonly string[] QosDirectories = ["kubepods", "kubepods/burstable", "kubepods/besteffort"];

    /// <summary>The cgroup filesystem's root (/sys/fs/cgroup on a node).</summary>
    public string Root => root;

    /// <summary>
    /// The CgroupParent of a pod's sandbox (cgroupfs naming): Guaranteed /kubepods/pod&lt;uid&gt;, Burstable
    /// /kubepods/burstable/pod&lt;uid&gt;, BestEffort /kubepods/besteffort/pod&lt;uid&gt;.
    /// </summary>
    public static string ParentFor(string qosClass, string podUid)
    {
        ArgumentException.ThrowIfNullOrEmpty(podUid);
        return qosClass switch
        {
            Guaranteed => $"/kubepods/pod{podUid}",
            Burstable => $"/kubepods/burstable/pod{podUid}",
            BestEffort => $"/kubepods/besteffort/pod{podUid}",
            _ => throw new ArgumentException($"unknown QoS class \"{qosClass}\" (Guaranteed, Burstable or BestEffort)", nameof(qosClass)),
        };
    }

    /// <summary>
    /// The hierarchies to look in: each directory under the root (v1 controllers, named hierarchies, unified/), and the
    /// root itself when it is the cgroup2 mount. Symlinks (cpu -> cpu,cpuacct) are skipped so nothing is visited twice.
    /// </summary>
    public IReadOnlyList<string> Hierarchies()
    {
        var result = new List<string> { root };
        try
        {
            foreach (var directory in new DirectoryInfo(root).EnumerateDirectories())
            {
                if (directory.LinkTarget is null)
                {
                    result.Add(directory.FullName);
                }
            }
        }
        catch (DirectoryNotFoundException)
        {
        }

        return result;
    }

    /// <summary>The uids of every pod with a cgroup left in any hierarchy (to find pods that no longer exist).</summary>
    public IReadOnlySet<string> FindPodUids()
    {
        var uids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var hierarchy in Hierarchies())
        {
            foreach (var qos in QosDirectories)
            {
                var parent = Path.Combine(hierarchy, qos);
                if (!Directory.Exists(parent))
                {
                    continue;
                }

                foreach (var pod in Directory.EnumerateDirectories(parent, "pod*"))
                {
                    uids.Add(Path.GetFileName(pod)[3..]);
                }
            }
        }

        return uids;
    }

    /// <summary>
    /// Removes the pod's cgroup directories (and the container directories inside) in every hierarchy, bottom-up with
    /// rmdir, which is the only removal cgroupfs allows. Missing directories are fine. A directory that still holds
    /// processes (EBUSY) is reported in <see cref="CgroupRemoval.Failed"/>, not thrown.
    /// </summary>
    public CgroupRemoval RemovePod(string podUid)
    {
        ArgumentException.ThrowIfNullOrEmpty(podUid);
        if (podUid.Contains('/', StringComparison.Ordinal) || podUid.Contains("..", StringComparison.Ordinal))
        {
            throw new ArgumentException($"\"{podUid}\" is not a pod uid", nameof(podUid));
        }

        var removed = new List<string>();
        var failed = new List<string>();
        foreach (var hierarchy in Hierarchies())
        {
            foreach (var qos in QosDirectories)
            {
                RemoveTree(Path.Combine(hierarchy, qos, "pod" + podUid), removed, failed);
            }
        }

        return new CgroupRemoval(removed, failed);
    }

    private static void RemoveTree(string directory, List<string> removed, List<string> failed)
    {
        IEnumerable<string> children;
        try
        {
            children = Directory.EnumerateDirectories(directory).ToList();
        }
        catch (DirectoryNotFoundException)
        {
            return;
        }

        foreach (var child in children)
        {
            RemoveTree(child, removed, failed);
        }

        try
        {
            // Non-recursive Delete is rmdir(2); the control files inside a cgroup go with it.
            Directory.Delete(directory, recursive: false);
            removed.Add(directory);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            failed.Add($"{directory}: {ex.Message}");
        }
    }
}
