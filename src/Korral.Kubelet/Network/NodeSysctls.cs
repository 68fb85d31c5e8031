namespace Korral.Kubelet.Network;

/// <summary>
/// The kernel settings a node's pod network relies on. A setting that cannot be written is reported, not fatal: a node
/// in a container may have a read-only /proc/sys, and the bridge plugin turns ip_forward on by itself anyway.
/// </summary>
public static class NodeSysctls
{
    /// <summary>
    /// ip_forward: pods reach Services and the outside through the host's routing. bridge-nf-call-iptables: traffic
    /// between pods on the bridge passes iptables, where Service DNAT happens (present only with br_netfilter).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Required = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["net.ipv4.ip_forward"] = "1",
        ["net.bridge.bridge-nf-call-iptables"] = "1",
    };

    /// <summary>
    /// Sets each value that differs; returns one line per setting that could not be set (also passed to
    /// <paramref name="log"/>). <paramref name="procSys"/> is /proc/sys on a node, a temp dir in tests.
    /// </summary>
    public static IReadOnlyList<string> Apply(Action<string> log, string procSys = "/proc/sys", IReadOnlyDictionary<string, string>? values = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        var problems = new List<string>();
        foreach (var (name, value) in values ?? Required)
        {
            var path = Path.Combine(procSys, name.Replace('.', '/'));
            try
            {
                if (File.ReadAllText(path).Trim() == value)
                {
                    continue;
                }

                File.WriteAllText(path, value);
                log($"sysctl {name} = {value}");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                var problem = ex is FileNotFoundException or DirectoryNotFoundException
                    ? $"sysctl {name} is not available on this kernel; pod networking may not work fully"
                    : $"sysctl {name} could not be set to {value}: {ex.Message}";
                problems.Add(problem);
                log(problem);
            }
        }

        return problems;
    }
}
