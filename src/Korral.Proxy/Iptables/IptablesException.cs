namespace Korral.Proxy.Iptables;

/// <summary>iptables-restore refused its input; the message quotes the lines around the one it named.</summary>
public sealed class IptablesException : Exception
{
    public IptablesException(string message, CommandResult result)
        : base(message) => Result = result;

    public CommandResult Result { get; }
}
