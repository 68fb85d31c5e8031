using System.Text.Json;
using Korral.Bench.Kubelet.Measurement;
using Korral.Bench.Kubelet.Scenarios;

namespace Korral.Bench.Kubelet.Reporting;

/// <summary>The JSON result: machine, options, per scenario the summaries (ms) and every pod's timeline (UTC stamps), for later comparison.</summary>
public static class JsonReport
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static string Render(BenchReport report) => JsonSerializer.Serialize(new
    {
        report.StartedAt,
        report.Machine,
        command = report.Options.Arguments,
        report.Options.Image,
        report.ServerReadyMs,
        report.RunDir,
        report.Problems,
        scenarios = report.Scenarios.Select(s => new
        {
            s.Kind,
            variant = s.Variant.Key,
            pullPolicy = s.Pods.FirstOrDefault()?.PullPolicy,
            pods = s.Pods.Count,
            startupMs = s.Startup,
            startupFromCreationTimestampMs = s.StartupFromCreationTimestamp,
            deleteToGoneMs = s.DeleteToGone,
            allRunningMs = s.AllRunning?.TotalMilliseconds,
            allGoneMs = s.AllGone?.TotalMilliseconds,
            s.MaxStarting,
            s.NodeCpuMsPerPod,
            s.ServerCpuMsPerPod,
            s.ShimCpuMsPerPod,
            s.MaxStopping,
            sandboxesRemovedMs = s.RuntimeCleared?.TotalMilliseconds,
            s.Pulls,
            pullMs = s.PullDurations,
            loadStart = s.Start?.Load1,
            loadEnd = s.End?.Load1,
            coresMachine = s.Start is { } a && s.End is { } b ? MachineSample.CoresUsed(a, b).Machine : (double?)null,
            coresNode = s.Start is { } c && s.End is { } d ? MachineSample.CoresUsed(c, d).Node : (double?)null,
            phasesMs = Phases.Startup.Concat(Phases.Deletion).ToDictionary(p => p.Name.Trim(), p => Summary.Of(s.Pods.Select(p.Of))),
            s.Problems,
            timelines = s.Pods.Select(p => new
            {
                p.Name,
                p.Uid,
                p.PullPolicy,
                p.CreateSent,
                p.CreateReturned,
                p.CreationTimestamp,
                p.Scheduled,
                p.Running,
                p.StartedAt,
                p.EventsUntilRunning,
                p.DeleteSent,
                p.Gone,
                p.Runtime,
            }),
        }),
    }, Options);
}
