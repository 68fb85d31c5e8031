using Korral.Bench.Scheduler;
using Korral.Bench.Scheduler.Measurement;
using Korral.Bench.Scheduler.Reporting;

// Scheduler benchmark: upstream scheduler_perf's workloads through the real API server and store, in one process.
SchedulerBenchOptions options;
try
{
    options = SchedulerBenchOptions.Parse(args);
}
catch (UsageException e)
{
    if (!e.HelpOnly)
    {
        Console.Error.WriteLine($"error: {e.Message}");
        Console.Error.WriteLine();
    }

    Console.Error.WriteLine(SchedulerBenchOptions.Usage);
    return e.HelpOnly ? 0 : 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

using var log = new BenchLog(options.LogPath);
log.Progress($"component log: {log.Path}");
var runner = new WorkloadRunner(options, log);
if (options.Warmup)
{
    log.Progress("warm-up (not measured): JIT-compiles the API server, store and scheduler hot paths");
    await runner.RunAsync(Korral.Bench.Scheduler.Workloads.WorkloadCatalog.All[0].Resized(500, 500, 3000), cancel.Token);
    GC.Collect();
}

var results = new List<WorkloadResult>();
var failures = new List<(string, string)>();
foreach (var workload in options.Workloads)
{
    try
    {
        results.Add(await runner.RunAsync(workload, cancel.Token));
    }
    catch (Exception e) when (e is not OperationCanceledException || !cancel.IsCancellationRequested)
    {
        log.Progress($"{workload.Key} failed: {e}");
        failures.Add((workload.Key, e.Message));
    }

    // Each workload's cluster is gone: give its memory back before the next one is measured.
    GC.Collect();
}

var markdown = ResultTable.Render(results, failures, options);
Console.WriteLine(markdown);
log.Progress($"{log.Lines} component log lines in {log.Path}");
if (options.OutputPath is { } output)
{
    await File.WriteAllTextAsync(output, markdown, CancellationToken.None);
}

return failures.Count > 0 || results.Any(r => !r.Completed) ? 1 : 0;
