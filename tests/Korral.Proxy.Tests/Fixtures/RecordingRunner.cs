using Korral.Proxy.Iptables;

namespace Korral.Proxy.Tests.Fixtures;

/// <summary>A command runner that records calls and answers iptables-save with <see cref="Save"/>; restores can be made to fail.</summary>
public sealed class RecordingRunner : ICommandRunner
{
    private readonly Lock _lock = new();
    private readonly List<(string Command, string? Stdin)> _calls = [];

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
        }

        return Task.FromResult(file switch
        {
            "iptables-save" => new CommandResult(command, 0, Save, ""),
            "iptables-restore" when FailRestores => new CommandResult(command, 2, "", "iptables-restore v1.8.9 (nf_tables): line 3 failed\n"),
            _ => new CommandResult(command, 0, "", ""),
        });
    }
}
