using Korral.Proxy.Iptables;

namespace Korral.Proxy.Sync;

/// <summary>
/// Runs `conntrack -D …` for stale UDP entries (see <see cref="UdpServicePort"/>), as kube-proxy does after a sync.
/// Best effort: a failure is logged, never fatal; without the conntrack program (Debian package conntrack) it says so
/// once and stops trying.
/// </summary>
public sealed class ConntrackCleaner
{
    private readonly ICommandRunner _runner;
    private readonly Action<string> _log;
    private bool _missing;

    public ConntrackCleaner(ICommandRunner runner, Action<string> log)
    {
        _runner = runner;
        _log = log;
    }

    public async Task RunAsync(IReadOnlyList<string[]> deletions, CancellationToken cancellationToken)
    {
        foreach (var arguments in deletions)
        {
            if (_missing)
            {
                return;
            }

            var result = await _runner.RunAsync("conntrack", arguments, null, cancellationToken);
            if (result.ExitCode == 127)
            {
                _missing = true;
                _log("proxy: conntrack is not installed (Debian package conntrack): UDP flows to removed endpoints are not cut");
            }
            else if (!result.Succeeded && !result.Stderr.Contains("0 flow entries", StringComparison.Ordinal))
            {
                _log($"proxy: {result.Command} failed: {result.Stderr.Trim()}");
            }
        }
    }
}
