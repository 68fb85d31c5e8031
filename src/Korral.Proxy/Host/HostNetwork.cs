using Korral.Proxy.Iptables;

namespace Korral.Proxy.Host;

/// <summary>
/// The host settings the rules rely on, made through commands (so that tests can run them in a private namespace):
/// <list type="bullet">
/// <item>The guard: a route for the service network into an empty bridge. Traffic to a cluster IP that no rule DNATs
/// (no such service) then stays on this host instead of following the default route out; the filter rule on the
/// service network rejects it. A bridge, because this kernel has no dummy interfaces.</item>
/// <item>Sysctls: net.ipv4.ip_forward=1 (pods and node ports reach endpoints through the host's routing),
/// net.ipv4.conf.all.route_localnet=1 for node ports on 127.0.0.1 (as kube-proxy sets it), and a warning when
/// net.bridge.bridge-nf-call-iptables is not 1 (pod-to-service traffic on the bridge would skip the rules).</item>
/// </list>
/// </summary>
public sealed class HostNetwork
{
    public const string DefaultGuardBridge = "korral-svc0";

    private readonly ICommandRunner _runner;
    private readonly Action<string> _log;

    public HostNetwork(ICommandRunner runner, Action<string> log)
    {
        _runner = runner;
        _log = log;
    }

    /// <summary>Creates the bridge if missing, sets it up and (re)places the route of <paramref name="serviceCidr"/> on it.</summary>
    public async Task EnsureGuardAsync(string bridge, string serviceCidr, CancellationToken cancellationToken)
    {
        if (!(await _runner.RunAsync("ip", ["link", "show", "dev", bridge], null, cancellationToken)).Succeeded)
        {
            (await _runner.RunAsync("ip", ["link", "add", bridge, "type", "bridge"], null, cancellationToken)).EnsureSuccess();
            _log($"proxy: created guard bridge {bridge}");
        }

        (await _runner.RunAsync("ip", ["link", "set", "dev", bridge, "up"], null, cancellationToken)).EnsureSuccess();
        (await _runner.RunAsync("ip", ["route", "replace", serviceCidr, "dev", bridge], null, cancellationToken)).EnsureSuccess();
    }

    /// <summary>Deletes the guard bridge (its route goes with it); false when there was none.</summary>
    public async Task<bool> RemoveGuardAsync(string bridge, CancellationToken cancellationToken)
    {
        if (!(await _runner.RunAsync("ip", ["link", "show", "dev", bridge], null, cancellationToken)).Succeeded)
        {
            return false;
        }

        (await _runner.RunAsync("ip", ["link", "del", "dev", bridge], null, cancellationToken)).EnsureSuccess();
        return true;
    }

    /// <summary>Sets the sysctls the rules need; returns (and logs) one line per setting that could not be made.</summary>
    public async Task<IReadOnlyList<string>> EnsureSysctlsAsync(bool localhostNodePorts, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var wanted = new List<string> { "net.ipv4.ip_forward" };
        if (localhostNodePorts)
        {
            wanted.Add("net.ipv4.conf.all.route_localnet");
        }

        foreach (var name in wanted)
        {
            var current = await _runner.RunAsync("sysctl", ["-n", name], null, cancellationToken);
            if (current.Succeeded && current.Stdout.Trim() == "1")
            {
                continue;
            }

            var set = await _runner.RunAsync("sysctl", ["-w", $"{name}=1"], null, cancellationToken);
            if (set.Succeeded)
            {
                _log($"proxy: sysctl {name} = 1");
            }
            else
            {
                problems.Add($"sysctl {name} could not be set to 1: {set.Stderr.Trim()}");
            }
        }

        var bridged = await _runner.RunAsync("sysctl", ["-n", "net.bridge.bridge-nf-call-iptables"], null, cancellationToken);
        if (!bridged.Succeeded || bridged.Stdout.Trim() != "1")
        {
            problems.Add("net.bridge.bridge-nf-call-iptables is not 1: traffic between pods on one bridge will not see service rules");
        }

        foreach (var problem in problems)
        {
            _log($"proxy: {problem}");
        }

        return problems;
    }
}
