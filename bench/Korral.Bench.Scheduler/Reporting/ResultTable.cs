using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Korral.Bench.Scheduler.Measurement;

namespace Korral.Bench.Scheduler.Reporting;

/// <summary>The Markdown report: the machine, then one row per workload with upstream's threshold and our target beside the figure.</summary>
public static class ResultTable
{
    public static string Render(IReadOnlyList<WorkloadResult> results, IReadOnlyList<(string Workload, string Error)> failures, SchedulerBenchOptions options)
    {
        var text = new StringBuilder();
        text.AppendLine("# Korral scheduler benchmark (scheduler_perf workloads)");
        text.AppendLine();
        text.AppendLine(Inv($"- Machine: {Environment.ProcessorCount} cores ({CpuModel()}), {MemoryGiB():0.0} GiB; {RuntimeInformation.FrameworkDescription}; API server, SQLite store, scheduler and pod writers in one process"));
        text.AppendLine(Inv($"- Writers: {options.Writers} concurrent pod creators (HTTP/2, pre-serialized bodies); scheduler parallelism {options.Parallelism ?? Environment.ProcessorCount}"));
        text.AppendLine("- pods/s = scheduler_perf's SchedulingThroughput Average: mean of 1 s samples of bound pods over the measured phase (creation included;");
        text.AppendLine("  like upstream, the last partial second is not a sample, so phases of a few seconds read low); overall = measured pods / phase time");
        text.AppendLine("- latency = time from entering the scheduling queue to bound, measured pods only (reset before the phase)");
        text.AppendLine("- cores = CPU used during the measured phase by this process / by every other process on the machine (out of 2)");
        text.AppendLine("- pods per CPU-s = measured pods / CPU seconds this process used in the phase (API server, store, scheduler and writers together):");
        text.AppendLine("  the figure least disturbed by other processes on a shared machine");
        text.AppendLine();
        text.AppendLine("| workload | upstream | nodes / init / measured | pods/s (mean) | median | overall | upstream threshold | target | p50 / p99 latency | pods per CPU-s | created/s | load avg start→end | cores ours / others | peak RSS | notes |");
        text.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---|");
        foreach (var r in results)
        {
            var w = r.Workload;
            var (ours, others) = r.Cores;
            var notes = new List<string>();
            if (!r.Completed)
            {
                notes.Add(Inv($"TIMED OUT: {r.MeasuredScheduled}/{w.MeasurePods} scheduled"));
            }

            if (!w.IsUpstreamSize)
            {
                notes.Add("resized: not comparable with upstream");
            }

            if (r.Unschedulable > 0 || r.Errors > 0)
            {
                notes.Add(Inv($"{r.Unschedulable} unschedulable attempts, {r.Errors} errors"));
            }

            notes.Add(Inv($"phase {r.MeasuredElapsed.TotalSeconds:0.0} s"));
            notes.Add("GC " + r.GcSummary);
            notes.Add(r.LoopSummary);
            var threshold = w.UpstreamThreshold is { } t ? Inv($"{t:0}") : "—";
            var target = w.Target is { } g ? Inv($"≥ {g:0}") : "—";
            var figures = Inv($"**{r.AveragePodsPerSecond:0}** | {r.MedianPodsPerSecond:0} | {r.OverallPodsPerSecond:0} | {threshold} | {target} | {r.P50LatencyMs:0} / {r.P99LatencyMs:0} ms | {r.PodsPerCpuSecond:0}");
            var context = Inv($"{r.MeasuredCreates.PerSecond:0} | {r.Start.Load1:0.0} → {r.End.Load1:0.0} | {ours:0.00} / {others:0.00} | {r.PeakWorkingSetBytes / (1024 * 1024)} MiB");
            text.AppendLine(Inv($"| {w.Key} | {w.Upstream} | {w.Nodes} / {w.InitPods} / {w.MeasurePods} | {figures} | {context} | {string.Join("; ", notes)} |"));
        }

        foreach (var (workload, error) in failures)
        {
            text.AppendLine(Inv($"| {workload} | | | FAILED | | | | | | | | | | | {error.ReplaceLineEndings(" ")} |"));
        }

        return text.ToString();
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static string CpuModel() =>
        File.Exists("/proc/cpuinfo") && File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) is { } line
            ? line[(line.IndexOf(':') + 1)..].Trim()
            : RuntimeInformation.ProcessArchitecture.ToString();

    private static double MemoryGiB() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024.0 / 1024 / 1024;
}
