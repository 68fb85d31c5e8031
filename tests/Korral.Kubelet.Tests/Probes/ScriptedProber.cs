using System.Collections.Concurrent;
using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Probes;

namespace Korral.Kubelet.Tests.Probes;

/// <summary>A prober that answers from a script (then <see cref="Otherwise"/>) and counts its runs.</summary>
public sealed class ScriptedProber : IProber
{
    private readonly ConcurrentQueue<ProbeOutcome> _script = new();
    private int _runs;

    public ProbeOutcome Otherwise { get; set; } = ProbeOutcome.Passed();

    public int Runs => Volatile.Read(ref _runs);

    /// <summary>Successes and failures ("HTTP probe failed with statuscode: 500") in this order.</summary>
    public ScriptedProber Then(params bool[] results) =>
        Then([.. results.Select(success => success ? ProbeOutcome.Passed() : ProbeOutcome.Failed("HTTP probe failed with statuscode: 500"))]);

    public ScriptedProber Then(params ProbeOutcome[] outcomes)
    {
        foreach (var outcome in outcomes)
        {
            _script.Enqueue(outcome);
        }

        return this;
    }

    public Task<ProbeOutcome> RunAsync(Probe probe, Container container, string containerId, string? podIp, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _runs);
        return Task.FromResult(_script.TryDequeue(out var next) ? next : Otherwise);
    }
}
