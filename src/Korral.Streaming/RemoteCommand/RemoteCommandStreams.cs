namespace Korral.Streaming.RemoteCommand;

/// <summary>The streams an exec or attach session carries (PodExecOptions' stdin, stdout, stderr and tty).</summary>
public sealed record RemoteCommandStreams(bool Stdin, bool Stdout, bool Stderr, bool Tty);
