namespace Korral.Bench;

/// <summary>A bad command line: printed with the usage, exit code 2. A null message asks for the usage only.</summary>
public sealed class BenchUsageException(string? message) : Exception(message ?? "usage")
{
    public bool HelpOnly => message is null;
}
