using System.Globalization;
using System.Text.RegularExpressions;

namespace Korral.Proxy.Iptables;

/// <summary>
/// The two iptables programs the proxy uses: iptables-save (to find our chains and jumps) and
/// iptables-restore --noflush (to apply a sync as one transaction without flushing anyone else's chains).
/// Both go through an <see cref="ICommandRunner"/>. IPv4 only.
/// </summary>
public sealed partial class IptablesClient
{
    private readonly ICommandRunner _runner;

    public IptablesClient(ICommandRunner runner) => _runner = runner;

    public ICommandRunner Runner => _runner;

    /// <summary>iptables-save of every table, parsed down to the chains with <paramref name="prefix"/> and the jumps into them.</summary>
    public async Task<IptablesSnapshot> SaveAsync(string prefix, CancellationToken cancellationToken)
    {
        var result = await _runner.RunAsync("iptables-save", [], null, cancellationToken);
        return IptablesSnapshot.Parse(result.EnsureSuccess().Stdout, prefix);
    }

    /// <summary>The rules of one chain as iptables-save prints them ("-A CHAIN …"); empty when the chain does not exist.</summary>
    public async Task<IReadOnlyList<string>> ListRulesAsync(string table, string chain, CancellationToken cancellationToken)
    {
        var result = await _runner.RunAsync("iptables", ["-w", "-t", table, "-S", chain], null, cancellationToken);
        return result.Succeeded ? [.. result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)] : [];
    }

    /// <summary>Applies <paramref name="input"/> atomically; throws <see cref="IptablesException"/> quoting the refused lines.</summary>
    public async Task RestoreAsync(string input, CancellationToken cancellationToken)
    {
        var result = await _runner.RunAsync("iptables-restore", ["--noflush", "-w"], input, cancellationToken);
        if (!result.Succeeded)
        {
            throw new IptablesException(Describe(result, input), result);
        }
    }

    /// <summary>The error with the input lines around the one iptables-restore named ("line N failed").</summary>
    internal static string Describe(CommandResult result, string input)
    {
        var message = $"iptables-restore exited with {result.ExitCode}: {result.Stderr.Trim()}";
        var match = LineNumber().Match(result.Stderr);
        if (!match.Success || !int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return message;
        }

        var lines = input.Split('\n');
        var from = Math.Max(1, number - 2);
        var to = Math.Min(lines.Length, number + 2);
        var context = Enumerable.Range(from, to - from + 1).Select(n => $"{(n == number ? ">" : " ")}{n,6}: {lines[n - 1]}");
        return message + "\n" + string.Join('\n', context);
    }

    [GeneratedRegex(@"line (\d+)")]
    private static partial Regex LineNumber();
}
