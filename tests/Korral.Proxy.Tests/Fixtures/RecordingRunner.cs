using Korral.Proxy.Iptables;

namespace Korral.Proxy.Tests.Fixtures;

/// <summary>
/// A command runner that records calls and answers iptables-save with <see cref="Save"/>; restores can be made to fail.
/// It remembers the jump rules restores insert into built-in chains and lists them for `iptables -S CHAIN`.
/// </summary>
public sealed class RecordingRunner : ICommandRunner
{
    private readonly Lock _lock = new();
    private readonly List<(string Command, string? Stdin)> _calls = [];
    private readonly Dictionary<(string Table, string Chain), List<string>> _builtIn = [];

    public string Save { get; set; } = "";

    public bool FailRestores { get; set; }

    public List<(string Command, string? Stdin)> Calls
    {
        get
        {
            lock (_lock)
            {
                return [.. _calls];
            }
        }
    }

    public List<string> Restores => [.. Calls.Where(c => c.Command.StartsWith("iptables-restore", StringComparison.Ordinal)).Select(c => c.Stdin!)];

    public Task<CommandResult> RunAsync(string file, IReadOnlyList<string> arguments, string? stdin, CancellationToken cancellationToken)
    {
        var command = string.Join(' ', [file, .. arguments]);
        lock (_lock)
        {
            _calls.Add((command, stdin));
            if (file == "iptables-restore" && !FailRestores && stdin is not null)
            {
                Remember(stdin);
            }

            return Task.FromResult(file switch
            {
                "iptables-save" => new CommandResult(command, 0, Save, ""),
                "iptables-restore" when FailRestores => new CommandResult(command, 2, "", "iptables-restore v1.8.9 (nf_tables): line 3 failed\n"),
                "iptables" when arguments is [.., "-t", var table, "-S", var chain] =>
                    new CommandResult(command, 0, string.Join('\n', _builtIn.GetValueOrDefault((table, chain)) ?? []), ""),
                _ => new CommandResult(command, 0, "", ""),
            });
        }
    }

    /// <summary>Forgets the jump rules of a built-in chain, as `iptables -F CHAIN` would.</summary>
    public void Flush(string table, string chain)
    {
        lock (_lock)
        {
            _builtIn.Remove((table, chain));
        }
    }

    private void Remember(string restore)
    {
        var table = "";
        foreach (var line in restore.Split('\n'))
        {
            if (line.StartsWith('*'))
            {
                table = line[1..];
            }
            else if (line.StartsWith("-I ", StringComparison.Ordinal) && line.Split(' ', 4) is [_, var chain, "1", var spec])
            {
                var rules = _builtIn.TryGetValue((table, chain), out var list) ? list : _builtIn[(table, chain)] = [];
                rules.Insert(0, $"-A {chain} {spec}");
            }
        }
    }
}
