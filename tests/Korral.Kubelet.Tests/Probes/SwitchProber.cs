using System.Collections.Concurrent;
using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Probes;

namespace Korral.Kubelet.Tests.Probes;

/// <summary>A prober whose answer per probe (by instance) a test switches; unknown probes fail.</summary>
public sealed class SwitchProber : IProber
{
    private static readonly ProbeOutcome Unavailable = ProbeOutcome.Failed("HTTP probe failed with statuscode: 503");
    private readonly ConcurrentDictionary<Probe, ProbeOutcome> _answers = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentDictionary<Probe, int> _runs = new(ReferenceEqualityComparer.Instance);

    public void Answer(Probe probe, bool success) => _answers[probe] = success ? ProbeOutcome.Passed() : Unavailable;

    public void Answer(Probe probe, ProbeOutcome outcome) => _answers[probe] = outcome;

    public int Runs(Probe probe) => _runs.GetValueOrDefault(probe);

    public Task<ProbeOutcome> RunAsync(Probe probe, Container container, string containerId, string? podIp, CancellationToken cancellationToken)
    {
        _runs.AddOrUpdate(probe, 1, (_, n) => n + 1);
        return Task.FromResult(_answers.TryGetValue(probe, out var answer) ? answer : Unavailable);
    }
}
