using Korral.Bench.Measurement;
using Korral.Bench.Reporting;

namespace Korral.Bench.Scenarios;

/// <summary>GET of one pod at a time from the populated namespace (a different pod each request), 8 workers.</summary>
public static class GetScenario
{
    public static async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var ns = context.PopulatedNamespace;
        var pods = Math.Max(1, context.PopulatedPods);
        var get = Requests.Get(context.Client, i => $"/api/v1/namespaces/{ns}/pods/{Payloads.PodName(i % pods)}");
        await LoadRunner.RunAsync(options.GetWorkers, 2000, options.GetDuration, get, cancellationToken);

        BenchContext.Progress($"GET pod, {options.GetWorkers} workers");
        var result = await LoadRunner.RunAsync(options.GetWorkers, options.GetOps, options.GetDuration, get, cancellationToken);
        BenchContext.Progress($"  {Requests.Describe(result)}");
        Requests.ReportErrors(context, "GET pod", result);
        context.Report.Row(new ResultRow($"GET one pod, {options.GetWorkers} workers", Requests.Describe(result)));
    }
}
