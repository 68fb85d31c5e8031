namespace Korral.Kubelet.Logs;

/// <summary>The stream a CRI log line came from (the second field of the line).</summary>
public enum CriLogStream
{
    Stdout,
    Stderr,
}
