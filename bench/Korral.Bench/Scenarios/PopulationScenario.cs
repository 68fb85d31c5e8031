using System.Net;
using Korral.Bench.Measurement;
using Korral.Bench.Reporting;

namespace Korral.Bench.Scenarios;

/// <summary>
/// Fills the namespace <c>bench</c> (or <c>bench-pop-RUNID</c> when a long-lived server already has one) with the pod
/// population the LIST, GET and memory figures are taken on. Its create rate is reported for information only.
/// </summary>
public static class PopulationScenario
{
    private const int Workers = 32;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    public static async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var ns = "bench";
        using (var existing = await context.Client.Http.GetAsync($"/api/v1/namespaces/{ns}", cancellationToken))
        {
            if (existing.StatusCode == HttpStatusCode.NotFound)
            {
                using (await context.Client.CreateAsync("/api/v1/namespaces", Payloads.Namespace(ns), cancellationToken))
                {
                }
            }
            else
            {
                ns = await context.CreateNamespaceAsync("pop", cancellationToken);
            }
        }

        var count = context.Options.ListPods;
        BenchContext.Progress($"populating namespace {ns} with {Format.Count(count)} pods ({Workers} workers)");
        var result = await LoadRunner.RunAsync(Workers, count, Limit, Requests.Create(context.Client, $"/api/v1/namespaces/{ns}/pods", Payloads.Pod),
            cancellationToken);
        BenchContext.Progress($"  {Requests.Describe(result)}");
        Requests.ReportErrors(context, "populating pods", result);
        context.PopulatedNamespace = ns;
        context.PopulatedPods = result.Succeeded;
        context.Report.Row(new ResultRow($"(set-up) {Format.Count(result.Succeeded)} pods into `{ns}`, {Workers} workers", Requests.Describe(result)));
    }
}
