using System.Diagnostics;
using System.Globalization;
using Korral.Bench.Scheduler.Cluster;
using Korral.Bench.Scheduler.Reporting;
using Korral.Bench.Scheduler.Workloads;
using Korral.Scheduler.Scheduling;

namespace Korral.Bench.Scheduler.Measurement;

/// <summary>
/// Runs one workload the way scheduler_perf does: a fresh cluster, nodes, the initial pods scheduled, then the measured
/// pods created by many writers while the scheduled count is sampled every second; latencies are reset before it.
/// </summary>
public sealed class WorkloadRunner(SchedulerBenchOptions options, BenchLog log)
{
    private const string InitNamespace = "sched-0";
    private const string MeasureNamespace = "sched-1";

    public async Task<WorkloadResult> RunAsync(Workload workload, CancellationToken cancellationToken)
    {
        log.Progress($"{workload.Key} ({workload.Upstream}): {workload.Nodes} nodes, {workload.InitPods} initial pods, {workload.MeasurePods} measured pods");
        await using var cluster = await BenchCluster.StartAsync(options.DataRoot, log.Component, cancellationToken);
        foreach (var ns in new[] { InitNamespace, MeasureNamespace })
        {
            await CreateAsync(cluster, "/api/v1/namespaces", Templates.Namespace(ns), cancellationToken);
        }

        if (workload.NeedsHighPriorityClass)
        {
            await CreateAsync(cluster, "/apis/scheduling.k8s.io/v1/priorityclasses", Templates.HighPriorityClassBody(), cancellationToken);
        }

        var nodeClock = Stopwatch.StartNew();
        var status = Templates.NodeStatusPatch();
        await ParallelWriter.RunAsync(workload.Nodes, options.Writers, async (i, ct) =>
        {
            var name = $"scheduler-perf-{i:D5}";
            return await cluster.Admin.TryCreateAsync("/api/v1/nodes", Templates.Node(name, i, workload.Zones), ct)
                && await cluster.Admin.TryMergePatchAsync($"/api/v1/nodes/{name}/status", status, ct);
        }, cancellationToken);
        var nodeSetup = nodeClock.Elapsed;
        log.Progress($"  {workload.Nodes} nodes in {Seconds(nodeSetup)}");

        var scheduler = await cluster.StartSchedulerAsync(new SchedulerOptions
        {
            Log = log.Component,
            Parallelism = options.Parallelism ?? Environment.ProcessorCount,
        }, cancellationToken);
        // The informer has listed every node; its handler may still be adding them to the cache.
        while (scheduler.Cache.NodeCount < workload.Nodes)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
        }

        log.Progress($"  scheduler started ({scheduler.Cache.NodeCount} nodes in its cache)");

        // Initial pods: created and scheduled before measuring.
        var initClock = Stopwatch.StartNew();
        var initBody = Templates.Pod(workload.InitPod);
        var initCreates = await ParallelWriter.RunAsync(workload.InitPods, options.Writers,
            (_, ct) => cluster.Admin.TryCreateAsync($"/api/v1/namespaces/{InitNamespace}/pods", initBody, ct, generatedName: true), cancellationToken);
        log.Progress($"  {workload.InitPods} initial pods created at {initCreates.PerSecond:0}/s");
        var initDone = await WaitForScheduledAsync(cluster, scheduler, workload.InitPods, InitNamespace, cancellationToken);
        var initScheduling = initClock.Elapsed;
        if (!initDone)
        {
            throw new TimeoutException($"{workload.Key}: the initial pods were not all scheduled within {options.PhaseTimeout.TotalSeconds:0} s " +
                $"({scheduler.Metrics.Scheduled}/{workload.InitPods}; unschedulable attempts {scheduler.Metrics.Unschedulable}, errors {scheduler.Metrics.Errors})");
        }

        log.Progress($"  initial pods scheduled in {Seconds(initScheduling)}");

        // Measured phase.
        var baseline = scheduler.Metrics.Scheduled;
        var unschedulableBefore = scheduler.Metrics.Unschedulable;
        var errorsBefore = scheduler.Metrics.Errors;
        scheduler.Metrics.ResetLatencies();
        var (cyclesBefore, cycleTimeBefore, bindWaitBefore) = (scheduler.Metrics.Cycles, scheduler.Metrics.CycleTime, scheduler.Metrics.BindSlotWait);
        var peak = 0L;
        var start = MachineSample.Take();
        var clock = Stopwatch.StartNew();
        var measureBody = Templates.Pod(workload.MeasurePod);
        WriteResult creates;
        bool completed;
        IReadOnlyList<double> rates;
        await using (var sampler = new ThroughputSampler(() => scheduler.Metrics.Scheduled - baseline, _ => peak = Math.Max(peak, WorkingSet())))
        {
            var creating = ParallelWriter.RunAsync(workload.MeasurePods, options.Writers,
                (_, ct) => cluster.Admin.TryCreateAsync($"/api/v1/namespaces/{MeasureNamespace}/pods", measureBody, ct, generatedName: true), cancellationToken);
            _ = creating.ContinueWith(t => log.Progress(t.IsCompletedSuccessfully
                ? string.Create(CultureInfo.InvariantCulture, $"  {t.Result.Count} measured pods created at {t.Result.PerSecond:0}/s ({t.Result.Retries} retries, {cluster.Admin.NameCollisions} generated-name collisions so far)")
                : $"  creating measured pods failed: {t.Exception?.GetBaseException().Message}"), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            completed = await WaitForScheduledAsync(cluster, scheduler, baseline + workload.MeasurePods, MeasureNamespace, cancellationToken);
            creates = await creating;
            rates = sampler.Rates;
        }

        var elapsed = clock.Elapsed;
        var end = MachineSample.Take();
        var measured = scheduler.Metrics.Scheduled - baseline;
        var sorted = rates.Order().ToList();
        var result = new WorkloadResult
        {
            Workload = workload,
            Completed = completed,
            MeasuredScheduled = measured,
            AveragePodsPerSecond = rates.Count > 0 ? rates.Average() : measured / elapsed.TotalSeconds,
            MedianPodsPerSecond = sorted.Count > 0 ? sorted[(int)Math.Ceiling(sorted.Count * 0.5) - 1] : 0,
            OverallPodsPerSecond = measured / elapsed.TotalSeconds,
            MeasuredElapsed = elapsed,
            P50LatencyMs = scheduler.Metrics.LatencyPercentile(50),
            P99LatencyMs = scheduler.Metrics.LatencyPercentile(99),
            MeasuredCreates = creates,
            InitCreates = initCreates,
            InitScheduling = initScheduling,
            NodeSetup = nodeSetup,
            Unschedulable = scheduler.Metrics.Unschedulable - unschedulableBefore,
            Errors = scheduler.Metrics.Errors - errorsBefore,
            Start = start,
            End = end,
            PeakWorkingSetBytes = Math.Max(peak, WorkingSet()),
            Cycles = scheduler.Metrics.Cycles - cyclesBefore,
            CycleTime = scheduler.Metrics.CycleTime - cycleTimeBefore,
            BindSlotWait = scheduler.Metrics.BindSlotWait - bindWaitBefore,
        };
        var (ours, others) = result.Cores;
        log.Progress(string.Create(CultureInfo.InvariantCulture,
            $"  measured: {measured}/{workload.MeasurePods} in {Seconds(elapsed)}: {result.AveragePodsPerSecond:0} pods/s (mean of {rates.Count} samples), " +
            $"p99 {result.P99LatencyMs:0} ms; created at {creates.PerSecond:0}/s; load {start.Load1:0.0}→{end.Load1:0.0}; cores: ours {ours:0.00}, others {others:0.00}; GC {result.GcSummary}; {result.LoopSummary}"));
        return result;
    }

    private async Task<bool> WaitForScheduledAsync(BenchCluster cluster, Korral.Scheduler.Scheduling.Scheduler scheduler, long target, string ns,
        CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        var (lastCount, lastProgress) = (scheduler.Metrics.Scheduled, TimeSpan.Zero);
        var diagnosed = false;
        while (scheduler.Metrics.Scheduled < target)
        {
            var now = deadline.Elapsed;
            if (now > options.PhaseTimeout)
            {
                log.Progress("  timed out: " + await StallDiagnosis.DescribeAsync(cluster, scheduler, ns, cancellationToken));
                return false;
            }

            var count = scheduler.Metrics.Scheduled;
            if (count != lastCount)
            {
                (lastCount, lastProgress, diagnosed) = (count, now, false);
            }
            else if (now - lastProgress > TimeSpan.FromSeconds(15) && !diagnosed)
            {
                diagnosed = true;
                log.Progress("  no progress for 15 s: " + await StallDiagnosis.DescribeAsync(cluster, scheduler, ns, cancellationToken));
            }

            if (now - lastReport >= TimeSpan.FromSeconds(10))
            {
                lastReport = now;
                log.Progress($"  … {ns}: {count}/{target} scheduled, {scheduler.Metrics.Unschedulable} unschedulable attempts, {scheduler.Metrics.Errors} errors");
            }

            // Polling a counter is the measurement here (as scheduler_perf's 1 s sampler), not synchronisation of a test.
            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
        }

        return true;
    }

    private static async Task CreateAsync(BenchCluster cluster, string path, byte[] body, CancellationToken cancellationToken)
    {
        if (!await cluster.Admin.TryCreateAsync(path, body, cancellationToken))
        {
            throw new InvalidOperationException($"POST {path} was refused");
        }
    }

    private static long WorkingSet()
    {
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
}
