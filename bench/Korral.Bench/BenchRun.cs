using System.Diagnostics;
using System.Globalization;
using System.Net;
using Korral.Bench.Cluster;
using Korral.Bench.Measurement;
using Korral.Bench.Reporting;
using Korral.Bench.Scenarios;

namespace Korral.Bench;

/// <summary>
/// One benchmark run, in a fixed order so figures are comparable between runs: machine facts, cold starts (the last
/// server stays up), idle memory, warm-up, the pod population with its memory figure, LIST, GET, creates, watches,
/// final memory, then a SIGTERM stop.
/// </summary>
public static class BenchRun
{
    public static async Task<Report> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var report = new Report();
        var loadBefore = LoadAverage();
        MachineInfo.Describe(report, Path.Combine(Path.GetTempPath(), "korral-bench"));

        ServerProcess? server = null;
        Kubeconfig kubeconfig;
        if (options.Kubeconfig is null)
        {
            var binary = ServerBinary.Find(options.ServerBinary);
            report.Fact("Server", $"`{binary.Path}`{(binary.LooksLikeDebug ? " — a DEBUG build: figures are not representative" : "")}, " +
                "started by the benchmark on 127.0.0.1 with a fresh temp data dir" +
                (options.ServerArgs.Count > 0 ? $" and `{string.Join(' ', options.ServerArgs)}`" : ""));
            server = await ColdStartScenario.RunAsync(binary, options, report, cancellationToken);
            kubeconfig = server.Kubeconfig;
        }
        else
        {
            kubeconfig = Kubeconfig.Load(options.Kubeconfig);
            report.Fact("Server", $"{kubeconfig.Server} (already running, from --kubeconfig)");
        }

        try
        {
            using var client = new ApiClient(kubeconfig, options.HttpVersion);
            using (var version = await client.Http.GetAsync("/version", cancellationToken))
            {
                report.Fact("Client", $"this process: HttpClient + SocketsHttpHandler, {Protocol(version.Version)} (exact, no fallback), " +
                    "client certificate from the kubeconfig, cluster CA pinned, no compression");
            }

            var context = new BenchContext(options, kubeconfig, client, server, report);
            try
            {
                await RunScenariosAsync(context, cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TimeoutException && !cancellationToken.IsCancellationRequested)
            {
                // Report what was measured so far and why the run stopped, instead of losing both.
                report.Failed = true;
                report.Problem(server is not null && (server.HasExited || server.ExternalShutdown() is not null)
                    ? $"`korral server` went away during the run (phase \"{context.CurrentPhase}\", {e.Message}): {server.DescribeExit()}"
                    : $"the run stopped in phase \"{context.CurrentPhase}\": {e.GetType().Name}: {e.Message}");
            }
        }
        finally
        {
            if (server is not null)
            {
                var stop = await server.StopAsync();
                if (!stop.AlreadyExited)
                {
                    report.Row(new ResultRow("Shutdown: SIGTERM → process exit", $"{Format.Duration(stop.Elapsed)}, exit code {stop.ExitCode}"));
                }

                if (!stop.AlreadyExited && (stop.Error is not null || stop.ExitCode != 0))
                {
                    report.Problem($"SIGTERM shutdown of `korral server` exits with code {stop.ExitCode}" + (stop.Error is null ? "" : $": `{stop.Error}`"));
                }

                await server.DisposeAsync();
            }
        }

        report.Fact("Load average (1/5/15 min)", $"{loadBefore} before the run, {LoadAverage()} after");
        report.Fact("Run", $"{DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC, {Format.Duration(clock.Elapsed)} in all");
        report.Note("The client runs on the same 2 cores as the server: every figure includes the client's own CPU (TLS, request bodies, reading " +
            "responses). Closed-loop workers: each sends its next request when the previous one is answered.");
        report.Note("Latencies are nearest-rank percentiles of every request in the run; creates are durable (answered after the commit's fsync).");
        return report;
    }

    private static async Task RunScenariosAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        if (options.Runs("rss"))
        {
            await MemoryScenario.IdleAsync(context, cancellationToken);
        }

        await PhaseAsync(context, "warm-up", WarmupScenario.RunAsync, cancellationToken);
        if (options.NeedsPopulation)
        {
            await PhaseAsync(context, $"populate {Format.Count(options.ListPods)} pods", PopulationScenario.RunAsync, cancellationToken);
            if (options.Runs("rss"))
            {
                MemoryScenario.Record(context, $"after {Format.Count(context.PopulatedPods)} pods (plus the warm-up's " +
                    $"{Format.Count(WarmupScenario.ConfigMaps)} ConfigMaps and {Format.Count(WarmupScenario.Pods)} pods)");
            }
        }

        if (options.Runs("list"))
        {
            await PhaseAsync(context, "LIST", ListScenario.RunAsync, cancellationToken);
        }

        if (options.Runs("get"))
        {
            await PhaseAsync(context, "GET", GetScenario.RunAsync, cancellationToken);
        }

        if (options.Runs("create"))
        {
            await PhaseAsync(context, "creates", CreateScenario.RunAsync, cancellationToken);
        }

        if (options.Runs("patch"))
        {
            await PhaseAsync(context, "patches", PatchScenario.RunAsync, cancellationToken);
        }

        if (options.Runs("watch"))
        {
            await PhaseAsync(context, "watches", WatchScenario.RunAsync, cancellationToken);
        }

        if (options.Runs("rss"))
        {
            MemoryScenario.Record(context, "at the end (everything above still stored)");
            MemoryScenario.Peak(context);
        }
    }

    private static async Task PhaseAsync(BenchContext context, string name, Func<BenchContext, CancellationToken, Task> phase,
        CancellationToken cancellationToken)
    {
        context.CurrentPhase = name;
        var cpu = CpuAccount.Start(context.ServerPid);
        var clock = Stopwatch.StartNew();
        await phase(context, cancellationToken);
        var shares = cpu.Since();
        BenchContext.Progress($"{name}: {Format.Duration(clock.Elapsed)}; CPU {shares}");
        context.Report.Phase(name, clock.Elapsed, shares);
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string Protocol(Version version) => version == HttpVersion.Version20 ? "HTTP/2" : $"HTTP/{version}";
}
