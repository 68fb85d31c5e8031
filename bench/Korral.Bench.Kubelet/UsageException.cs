namespace Korral.Bench.Kubelet;

/// <summary>The command line was wrong (message: what), or help was asked for (no message).</summary>
public sealed class UsageException(string? message) : Exception(message ?? "help")
{
    public bool HelpOnly { get; } = message is null;
}
