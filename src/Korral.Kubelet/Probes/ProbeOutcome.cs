namespace Korral.Kubelet.Probes;

/// <summary>One probe run: whether it succeeded and its output (the text after "Liveness probe failed: ").</summary>
public readonly record struct ProbeOutcome(bool Success, string Output)
{
    public static ProbeOutcome Passed(string output = "") => new(true, output);

    public static ProbeOutcome Failed(string output) => new(false, output);
}
