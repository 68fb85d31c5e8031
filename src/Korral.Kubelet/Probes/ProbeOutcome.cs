namespace Korral.Kubelet.Probes;

/// <summary>
/// One probe run, shaped as upstream's (result, output, error): the output is the text after "Liveness probe failed: "
/// (or "Liveness probe warning: "); an error means the probe could not run properly — the run is thrown away instead of
/// counted, and reported as "Liveness probe errored and resulted in unknown state: ERROR" (the state being the result).
/// </summary>
public readonly record struct ProbeOutcome(ProbeResult Result, string Output, string? Error = null)
{
    /// <summary>Whether the run counts as a success (a warning does).</summary>
    public bool Success => Error is null && Result is ProbeResult.Success or ProbeResult.Warning;

    /// <summary>Whether the probe errored: the run is not counted towards the thresholds.</summary>
    public bool IsError => Error is not null;

    public static ProbeOutcome Passed(string output = "") => new(ProbeResult.Success, output);

    public static ProbeOutcome Warned(string output) => new(ProbeResult.Warning, output);

    public static ProbeOutcome Failed(string output) => new(ProbeResult.Failure, output);

    public static ProbeOutcome Errored(string error, ProbeResult result = ProbeResult.Unknown) => new(result, "", error);

    /// <summary>The result as upstream names it in messages ("success", "warning", "failure", "unknown").</summary>
    public string ResultName => Result.ToString().ToLowerInvariant();
}
