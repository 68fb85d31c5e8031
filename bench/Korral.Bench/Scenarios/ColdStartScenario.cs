using Korral.Bench.Cluster;
using Korral.Bench.Reporting;

namespace Korral.Bench.Scenarios;

/// <summary>
/// Cold start: a fresh data dir each time (the server generates its CA, creates its database and the default
/// namespaces), timed from process start to the first authenticated 200 on /readyz. Takes the median of several
/// starts (the first also pays for a cold page cache and the client's own JIT); the last server stays up for the
/// other scenarios.
/// </summary>
public static class ColdStartScenario
{
    public static async Task<ServerProcess> RunAsync(ServerBinary binary, BenchOptions options, Report report, CancellationToken cancellationToken)
    {
        var starts = options.Runs("start") ? options.ColdStarts : 1;
        var results = new List<ColdStart>();
        for (var i = 1; ; i++)
        {
            BenchContext.Progress($"cold start {i}/{starts}: {binary.Path}");
            var server = await ServerProcess.StartAsync(binary, options.ServerArgs, options.HttpVersion, cancellationToken);
            results.Add(server.ColdStart);
            var cold = server.ColdStart;
            BenchContext.Progress($"  kubeconfig after {Format.Duration(cold.KubeconfigWritten)}, /readyz 200 after {Format.Duration(cold.Ready)}, " +
                $"first read after {Format.Duration(cold.FirstRead)} (server says ready in {cold.ServerReportedMs} ms)");
            if (i == starts)
            {
                Describe(results, options, report);
                return server;
            }

            var stop = await server.StopAsync();
            if (stop.Error is not null || stop.ExitCode != 0)
            {
                report.Problem($"SIGTERM shutdown of `korral server` exits with code {stop.ExitCode}" +
                    (stop.Error is null ? "" : $": `{stop.Error}`"));
            }

            await server.DisposeAsync();
        }
    }

    private static void Describe(List<ColdStart> results, BenchOptions options, Report report)
    {
        if (!options.Runs("start"))
        {
            return;
        }

        var ready = Median(results.Select(r => r.Ready));
        var all = string.Join(", ", results.Select(r => Format.Duration(r.Ready)));
        report.Row(new ResultRow($"Cold start → authenticated /readyz 200 (median of {results.Count})", $"{Format.Duration(ready)} ({all})",
            "< 1 s", Targets.AtMost(ready, Targets.ColdStart)));
        var reported = results.Where(r => r.ServerReportedMs is not null).Select(r => TimeSpan.FromMilliseconds(r.ServerReportedMs!.Value)).ToList();
        if (reported.Count > 0)
        {
            report.Row(new ResultRow("  server's own \"korral is ready in N ms\" (median)", Format.Duration(Median(reported))));
        }

        report.Row(new ResultRow("  process start → kubeconfig written (median)", Format.Duration(Median(results.Select(r => r.KubeconfigWritten)))));
        report.Row(new ResultRow("  process start → first authenticated GET namespace (median)", Format.Duration(Median(results.Select(r => r.FirstRead)))));
    }

    public static TimeSpan Median(IEnumerable<TimeSpan> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? TimeSpan.Zero : sorted[(sorted.Count - 1) / 2];
    }
}
