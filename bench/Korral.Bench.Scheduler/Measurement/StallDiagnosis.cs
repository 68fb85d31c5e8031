using Korral.Api.Models.CoreV1;
using Korral.Bench.Scheduler.Cluster;
using Korral.Client;

namespace Korral.Bench.Scheduler.Measurement;

/// <summary>When scheduling stops making progress: which pods are still unbound, and where the scheduler has each of them.</summary>
public static class StallDiagnosis
{
    public static async Task<string> DescribeAsync(BenchCluster cluster, Korral.Scheduler.Scheduling.Scheduler scheduler, string ns, CancellationToken cancellationToken)
    {
        var pods = await cluster.Client.Resource<Pod>().ListAllAsync(ns, new ListOptions { FieldSelector = "spec.nodeName=" }, 500, cancellationToken);
        var (active, backoff, unschedulable) = scheduler.Queue.Counts;
        var lines = new List<string>
        {
            $"{pods.Items.Count} pods in {ns} without a node; queue: active {active}, backoff {backoff}, unschedulable {unschedulable}; cycle {scheduler.Queue.SchedulingCycle}",
        };
        foreach (var pod in pods.Items.Take(10))
        {
            var uid = pod.Metadata?.Uid ?? "";
            var condition = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled");
            lines.Add($"    {pod.Metadata?.Name} (rv {pod.Metadata?.ResourceVersion}): queue {scheduler.Queue.Where(uid) ?? "—"}, cache " +
                $"{(scheduler.Cache.IsAssumed(uid) ? "assumed" : scheduler.Cache.Contains(uid) ? "bound" : "—")}, PodScheduled {condition?.Status ?? "—"} {condition?.Message}");
        }

        return string.Join("\n", lines);
    }
}
