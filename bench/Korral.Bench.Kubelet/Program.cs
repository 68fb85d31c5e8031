using Korral.Bench.Kubelet;
using Korral.Bench.Kubelet.Cluster;
using Korral.Bench.Kubelet.Measurement;
using Korral.Bench.Kubelet.Reporting;
using Korral.Bench.Kubelet.Scenarios;
using Korral.Api.Models.CoreV1;

// Pod startup latency on a real node: korral server with its agent (containerd, CNI, kubelet), pods watched from creation to running.
PodStartupOptions options;
try
{
    options = PodStartupOptions.Parse(args);
}
catch (UsageException e)
{
    if (!e.HelpOnly)
    {
        Console.Error.WriteLine($"error: {e.Message}");
        Console.Error.WriteLine();
    }

    Console.Error.WriteLine(PodStartupOptions.Usage);
    return e.HelpOnly ? 0 : 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var startedAt = DateTimeOffset.UtcNow;
var runDir = Path.Combine(Path.GetFullPath(options.WorkDir), Guid.NewGuid().ToString("n")[..12]);
using var log = new BenchLog(Path.Combine(runDir, "progress.log"));
var binary = KorralBinary.Find(options.ServerBinary);
var archives = await ImageArchives.LocateAsync(options.ImagesDir, log.Progress, cancel.Token);
log.Progress($"korral build {binary.Path}; images from {archives}");

var scenarios = new List<ScenarioResult>();
var problems = new List<string>();
MachineInfo? machine = null;
var readyMs = 0;
await using (var server = await AgentServer.StartAsync(binary, runDir, archives, options.KeepData, options.Timeout, log.Progress, cancel.Token))
{
    readyMs = server.ReadyMs;
    var node = await server.Client.Resource<Node>().GetAsync(null, server.NodeName, cancel.Token);
    machine = MachineInfo.Read(node.Status?.NodeInfo?.ContainerRuntimeVersion ?? "unknown runtime", binary.Path, KorralBinary.RepositoryRoot());
    log.Progress($"node {server.NodeName} Ready ({machine.ContainerRuntime}); server reported ready in {readyMs} ms");

    await StartupRunner.PrepareNamespaceAsync(server.Client, options.Timeout, cancel.Token);
    await using var watch = new PodWatch(server.Client, StartupRunner.Namespace, $"app={StartupRunner.AppLabel}", log.Progress);
    await watch.StartAsync(cancel.Token);
    var runner = new StartupRunner(server, watch, options, log);
    var finished = false;
    try
    {
        foreach (var variant in options.Variants)
        {
            await runner.WarmUpAsync(variant, cancel.Token);
        }

        await runner.WarmUpBatchAsync(options.Variants[0], count: 8, cancel.Token);

        foreach (var variant in options.Variants)
        {
            scenarios.Add(await runner.SequentialAsync(variant, cancel.Token));
            scenarios.Add(await runner.ParallelAsync(variant, cancel.Token));
        }

        finished = true;
    }
    catch (Exception e) when (!cancel.IsCancellationRequested)
    {
        problems.Add(e.Message);
        log.Progress($"stopped early: {e}");
    }
    finally
    {
        // Stopping the server leaves running containers in their shims: delete the pods first, whatever happened.
        if (!finished)
        {
            await runner.DeleteAllAsync(CancellationToken.None);
        }
    }
}

var report = new BenchReport(options, machine!, startedAt, readyMs, runDir, scenarios, problems);
var markdown = MarkdownReport.Render(report);
Console.WriteLine(markdown);
if (options.OutputPath is { } output)
{
    await File.WriteAllTextAsync(output, markdown, CancellationToken.None);
}

if (options.JsonPath is { } json)
{
    await File.WriteAllTextAsync(json, JsonReport.Render(report), CancellationToken.None);
}

return problems.Count > 0 || scenarios.Any(s => s.Problems.Count > 0) ? 1 : 0;
