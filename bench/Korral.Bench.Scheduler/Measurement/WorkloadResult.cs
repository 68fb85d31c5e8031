using Korral.Bench.Scheduler.Workloads;

namespace Korral.Bench.Scheduler.Measurement;

/// <summary>What one workload measured.</summary>
public sealed record WorkloadResult
{
    public required Workload Workload { get; init; }

    /// <summary>Whether every measured pod was scheduled before the phase timeout.</summary>
    public required bool Completed { get; init; }

    public required long MeasuredScheduled { get; init; }

    /// <summary>scheduler_perf's figure: the mean of the per-second rates over the measured phase.</summary>
    public required double AveragePodsPerSecond { get; init; }

    public required double MedianPodsPerSecond { get; init; }

    /// <summary>Measured pods divided by the time from the first create to the last binding.</summary>
    public required double OverallPodsPerSecond { get; init; }

    public required TimeSpan MeasuredElapsed { get; init; }

    /// <summary>Time from entering the queue to bound, over the measured phase's pods (ms).</summary>
    public required double P50LatencyMs { get; init; }

    public required double P99LatencyMs { get; init; }

    public required WriteResult MeasuredCreates { get; init; }

    public required WriteResult InitCreates { get; init; }

    public required TimeSpan InitScheduling { get; init; }

    public required TimeSpan NodeSetup { get; init; }

    public required long Unschedulable { get; init; }

    public required long Errors { get; init; }

    public required MachineSample Start { get; init; }

    public required MachineSample End { get; init; }

    public (double Ours, double Others) Cores => MachineSample.CoresUsed(Start, End);

    /// <summary>Measured pods per CPU second this process spent in the phase: robust to other processes taking the cores.</summary>
    public double PodsPerCpuSecond => End.ProcessCpu > Start.ProcessCpu ? MeasuredScheduled / (End.ProcessCpu - Start.ProcessCpu).TotalSeconds : 0;

    public required long PeakWorkingSetBytes { get; init; }

    /// <summary>Scheduling cycles in the measured phase (attempts, including failed ones) and the loop's time in them.</summary>
    public required long Cycles { get; init; }

    public required TimeSpan CycleTime { get; init; }

    /// <summary>Part of <see cref="CycleTime"/> spent waiting for a binding slot (bindings in flight at the limit).</summary>
    public required TimeSpan BindSlotWait { get; init; }

    public string LoopSummary => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"scheduling loop {100 * LoopBusy:0}% busy ({100 * (MeasuredElapsed > TimeSpan.Zero ? BindSlotWait / MeasuredElapsed : 0):0} points of it waiting for a binding slot), " +
        $"{MsPerCycle:0.00} ms per cycle ({Cycles} cycles)");

    /// <summary>Share of the phase the single scheduling loop spent in cycles: near 100% means the loop itself is the limit.</summary>
    /// <remarks><see cref="MsPerCycle"/> leaves the binding-slot waits out: it is the algorithm's time per attempt.</remarks>
    public double LoopBusy => MeasuredElapsed > TimeSpan.Zero ? CycleTime / MeasuredElapsed : 0;

    public double MsPerCycle => Cycles > 0 ? (CycleTime - BindSlotWait).TotalMilliseconds / Cycles : 0;

    /// <summary>Garbage collection in the measured phase: share of the wall time paused, collections per generation, bytes allocated per pod.</summary>
    public string GcSummary
    {
        get
        {
            var (s, e) = (Start.Gc, End.Gc);
            var wall = (End.At - Start.At).TotalSeconds;
            var pause = (e.Pause - s.Pause).TotalSeconds;
            return string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{100 * pause / Math.Max(wall, 1e-9):0}% paused; gen0/1/2 {e.Gen0 - s.Gen0}/{e.Gen1 - s.Gen1}/{e.Gen2 - s.Gen2}; {(e.Allocated - s.Allocated) / Math.Max(MeasuredScheduled, 1) / 1024} KiB allocated per pod");
        }
    }
}
