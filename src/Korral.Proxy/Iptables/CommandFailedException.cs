namespace Korral.Proxy.Iptables;

/// <summary>A host command exited with a non-zero code; the message carries its stderr.</summary>
public sealed class CommandFailedException : Exception
{
    public CommandFailedException(CommandResult result)
        : base($"{result.Command} exited with {result.ExitCode}: {result.Stderr.Trim()}") => Result = result;

    public CommandResult Result { get; }
}
