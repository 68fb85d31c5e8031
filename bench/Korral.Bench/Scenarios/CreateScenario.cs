using Korral.Bench.Measurement;
using Korral.Bench.Reporting;

namespace Korral.Bench.Scenarios;

/// <summary>
/// Durable creates: ConfigMaps (256 bytes of data) and Pods (one nginx container, ~1 KB) with 1, 8 and 32 closed-loop
/// workers, each run in a fresh namespace (at least 5,000 creates and 3 s, at most 10 s), after a short warm-up in that namespace at the same concurrency (so
/// connections are open and the code paths jitted). A create is answered only after its commit is fsynced.
/// </summary>
public static class CreateScenario
{
    public static async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        await RunKindAsync(context, "ConfigMap", "configmaps", Payloads.ConfigMap, cancellationToken);
        await RunKindAsync(context, "Pod", "pods", Payloads.Pod, cancellationToken);
    }

    private static async Task RunKindAsync(BenchContext context, string kind, string resource, Func<long, byte[]> body,
        CancellationToken cancellationToken)
    {
        var options = context.Options;
        foreach (var workers in options.CreateWorkers)
        {
            var ns = await context.CreateNamespaceAsync($"{resource}-w{workers}", cancellationToken);
            var create = Requests.Create(context.Client, $"/api/v1/namespaces/{ns}/{resource}", body);
            var warmupOps = Math.Max(50, workers * 10);
            await LoadRunner.RunAsync(workers, warmupOps, options.CreateDuration, (i, ct) => create(Requests.WarmupIndexBase + i, ct), cancellationToken);

            BenchContext.Progress($"{kind} creates, {workers} workers, namespace {ns}");
            var result = await LoadRunner.RunAsync(workers, options.CreateOps, options.CreateMinDuration, options.CreateDuration, create, cancellationToken);
            BenchContext.Progress($"  {Requests.Describe(result)}");
            Requests.ReportErrors(context, $"{kind} create ({workers} workers)", result);

            var judged = workers == options.CreateWorkers.Max();
            context.Report.Row(new ResultRow($"{kind} create, {workers} worker{(workers == 1 ? "" : "s")} (durable)", Requests.Describe(result),
                judged ? "≥ 2,000/s" : null, judged ? Targets.AtLeast(result.PerSecond, Targets.CreatesPerSecond) : null));
        }
    }
}
