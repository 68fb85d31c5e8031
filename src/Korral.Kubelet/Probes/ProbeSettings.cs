using Korral.Api.Models.CoreV1;

namespace Korral.Kubelet.Probes;

/// <summary>A probe's timing and thresholds with upstream's defaults filled in (0 s delay, every 10 s, 1 s timeout, 1 success, 3 failures).</summary>
public sealed record ProbeSettings(TimeSpan InitialDelay, TimeSpan Period, TimeSpan Timeout, int SuccessThreshold, int FailureThreshold)
{
    public static ProbeSettings Of(Probe probe) => new(
        TimeSpan.FromSeconds(Math.Max(0, probe.InitialDelaySeconds ?? 0)),
        TimeSpan.FromSeconds(Positive(probe.PeriodSeconds, 10)),
        TimeSpan.FromSeconds(Positive(probe.TimeoutSeconds, 1)),
        Positive(probe.SuccessThreshold, 1),
        Positive(probe.FailureThreshold, 3));

    private static int Positive(int? value, int fallback) => value is > 0 ? value.Value : fallback;
}
