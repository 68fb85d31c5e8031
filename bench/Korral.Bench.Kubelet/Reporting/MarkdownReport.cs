using System.Globalization;
using System.Text;
using Korral.Bench.Kubelet.Measurement;
using Korral.Bench.Kubelet.Scenarios;

namespace Korral.Bench.Kubelet.Reporting;

/// <summary>The Markdown report: the machine and command, the latency table with upstream's SLO and our target beside it, then where the time goes.</summary>
public static class MarkdownReport
{
    public static string Render(BenchReport report)
    {
        var text = new StringBuilder();
        text.AppendLine("# Korral pod startup latency");
        text.AppendLine();
        text.AppendLine(Inv($"- Machine: {report.Machine.Describe()}"));
        text.AppendLine(Inv($"- Build: {report.Machine.ServerBinary}{(report.Machine.Commit is { } c ? $" (commit {c})" : "")}; server ready with its node in {report.ServerReadyMs} ms"));
        text.AppendLine(Inv($"- Command: `Korral.Bench.Kubelet {string.Join(' ', report.Options.Arguments)}` at {report.StartedAt:yyyy-MM-dd HH:mm} UTC; image {report.Options.Image}, one node (the server's own agent)"));
        text.AppendLine("- startup = the create request sent → the pod seen through a watch with phase Running and every container running (upstream's SLI");
        text.AppendLine("  counts from metadata.creationTimestamp, which has whole seconds: that variant is the last column); images are on the node (warm-up pod first)");
        text.AppendLine("- upstream SLO: p99 ≤ 5 s (2–2.5 s usual); korral's target: p50 ≤ 0.5 s, p99 ≤ 1 s. p99 of 10 samples is their maximum (nearest rank)");
        text.AppendLine(Inv($"- deletion: default grace period (30 s); a pod is deleted once it has run {report.Options.MinAge.TotalMilliseconds:0} ms (nginx as PID 1 ignores an earlier SIGTERM)"));
        text.AppendLine("- load = 1-minute load average at start → end; cores = CPU busy on the whole machine / used by the korral server and its containerd (of 2)");
        text.AppendLine();
        text.AppendLine("| scenario | pull policy | pods | startup p50 | p90 | p99 | max | all running | at once starting / stopping | delete → gone p50 / p99 | all gone | node idle | pulls (p50 / max) | CPU ms per pod: korral + containerd + shims | load | cores machine / node | from creationTimestamp p50 / p99 |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|");
        foreach (var s in report.Scenarios)
        {
            var startup = s.Startup;
            var deletion = s.DeleteToGone;
            var created = s.StartupFromCreationTimestamp;
            var (machine, node) = s.Start is { } a && s.End is { } b ? MachineSample.CoresUsed(a, b) : (0, 0);
            var pulls = s.Pulls == 0 ? "0" : Inv($"{s.Pulls} ({Ms(s.PullDurations?.P50)} / {Ms(s.PullDurations?.Max)})");
            var policy = s.Pods.FirstOrDefault()?.PullPolicy ?? "";
            text.Append(Inv($"| {s.Kind} | {policy}{(s.Variant.PullPolicy is null ? " (default)" : "")} | {s.Pods.Count} | **{Ms(startup?.P50)}** | {Ms(startup?.P90)} | "));
            text.Append(Inv($"**{Ms(startup?.P99)}** | {Ms(startup?.Max)} | {Ms(s.AllRunning)} | {s.MaxStarting} / {s.MaxStopping} | {Ms(deletion?.P50)} / {Ms(deletion?.P99)} | {Ms(s.AllGone)} | "));
            text.AppendLine(Inv($"{Ms(s.RuntimeCleared)} | {pulls} | {Ms(s.ServerCpuMsPerPod)} + {Ms(s.NodeCpuMsPerPod - s.ServerCpuMsPerPod)} + {Ms(s.ShimCpuMsPerPod)} | {s.Start?.Load1:0.0} → {s.End?.Load1:0.0} | {machine:0.00} / {node:0.00} | {Ms(created?.P50)} / {Ms(created?.P99)} |"));
        }

        text.AppendLine();
        text.AppendLine("All times in ms. \"all running\": the first create sent → the last pod seen running;");
        text.AppendLine("\"at once\": most pods containerd worked on at the same time (RunPodSandbox called → StartContainer returned, StopContainer");
        text.AppendLine("called → StopPodSandbox returned). \"all gone\": the first delete sent → the");
        text.AppendLine("last pod's DELETED event; \"node idle\": → no containerd shim of the node left and no pod volume mounted. \"CPU per pod\": the korral");
        text.AppendLine("server's and containerd's CPU (with the CNI plugins it runs) from the creates to all running, and the pods' shims' (with their");
        text.AppendLine("runc calls) just before deletion, per pod (10 ms ticks; the server's includes its background loops).");
        foreach (var problem in report.Scenarios.SelectMany(s => s.Problems.Select(p => $"{s.Kind} {s.Variant.Key}: {p}")).Concat(report.Problems))
        {
            text.AppendLine($"- PROBLEM: {problem}");
        }

        text.AppendLine();
        text.AppendLine("## Where the time goes (p50 / p99 per step, ms)");
        text.AppendLine();
        text.AppendLine("Stamps: the benchmark's requests and its watch, and containerd's own log of each CRI call (same clock).");
        text.AppendLine();
        text.Append("| step |");
        foreach (var s in report.Scenarios)
        {
            text.Append(Inv($" {s.Kind} {s.Variant.Key} |"));
        }

        text.AppendLine();
        text.Append("|---|");
        text.AppendLine(string.Concat(report.Scenarios.Select(_ => "---:|")));
        foreach (var (name, of) in Phases.Startup.Concat(Phases.Deletion))
        {
            text.Append(Inv($"| {name} |"));
            foreach (var s in report.Scenarios)
            {
                var summary = Summary.Of(s.Pods.Select(of));
                text.Append(summary is null ? " — |" : Inv($" {Ms(summary.P50)} / {Ms(summary.P99)} |"));
            }

            text.AppendLine();
        }

        text.AppendLine();
        text.AppendLine(Inv($"Logs: {report.RunDir} (server.log, containerd.log, progress.log)."));
        return text.ToString();
    }

    private static string Ms(TimeSpan? t) => t is { } v ? Ms(v.TotalMilliseconds) : "—";

    private static string Ms(double? ms) => ms is { } v ? v.ToString("0", CultureInfo.InvariantCulture) : "—";

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
