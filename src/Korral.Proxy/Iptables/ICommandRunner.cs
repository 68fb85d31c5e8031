namespace Korral.Proxy.Iptables;

/// <summary>Runs host commands (iptables-save/-restore, ip). The seam that lets tests run them in a private network namespace.</summary>
public interface ICommandRunner
{
    /// <summary>Runs <paramref name="file"/> with <paramref name="arguments"/>, writing <paramref name="stdin"/> (if any) to it.</summary>
    Task<CommandResult> RunAsync(string file, IReadOnlyList<string> arguments, string? stdin, CancellationToken cancellationToken);
}
