namespace Korral.Bench.Cluster;

/// <summary>How a SIGTERM shutdown went.</summary>
public sealed record StopResult(int ExitCode, TimeSpan Elapsed, string? Error, bool AlreadyExited);
