namespace Korral.Scheduler.Scheduling;

/// <summary>
/// Counters and latencies of the scheduler (what upstream exports as scheduler_schedule_attempts_total and
/// scheduler_pod_scheduling_sli_duration_seconds). Latencies are kept in a bounded reservoir for percentiles. Thread-safe.
/// </summary>
public sealed class SchedulerMetrics
{
    private const int ReservoirSize = 200_000;
    private readonly Lock _lock = new();
    private readonly double[] _latencies = new double[ReservoirSize];
    private long _latencyCount;
    private long _scheduled;
    private long _unschedulable;
    private long _errors;
    private long _cycleTicks;
    private long _cycles;
    private long _bindSlotWaitTicks;

    /// <summary>Pods bound.</summary>
    public long Scheduled => Interlocked.Read(ref _scheduled);

    /// <summary>Attempts that found no node.</summary>
    public long Unschedulable => Interlocked.Read(ref _unschedulable);

    /// <summary>Attempts that failed with an error (including binding errors).</summary>
    public long Errors => Interlocked.Read(ref _errors);

    internal void RecordScheduled(TimeSpan sinceFirstAttempt)
    {
        Interlocked.Increment(ref _scheduled);
        lock (_lock)
        {
            // Reservoir sampling keeps a uniform sample once more pods were scheduled than the reservoir holds.
            var n = _latencyCount++;
            if (n < ReservoirSize)
            {
                _latencies[n] = sinceFirstAttempt.TotalMilliseconds;
            }
            else
            {
                var slot = Random.Shared.NextInt64(n + 1);
                if (slot < ReservoirSize)
                {
                    _latencies[slot] = sinceFirstAttempt.TotalMilliseconds;
                }
            }
        }
    }

    /// <summary>Scheduling cycles run (each pod attempt is one).</summary>
    public long Cycles => Interlocked.Read(ref _cycles);

    /// <summary>
    /// Time the scheduling loop spent in cycles (snapshot, filter, score, assume, reserve, permit; what upstream's
    /// scheduling_attempt_duration covers before binding), summed: divided by the phase's wall time it says how busy the
    /// single scheduling loop was.
    /// </summary>
    public TimeSpan CycleTime => TimeSpan.FromTicks((long)(Interlocked.Read(ref _cycleTicks) * ((double)TimeSpan.TicksPerSecond / System.Diagnostics.Stopwatch.Frequency)));

    /// <summary>
    /// Part of <see cref="CycleTime"/> spent waiting for a free binding slot (MaxConcurrentBindings calls already in
    /// flight): when it is large, the API server's binding latency, not the scheduling algorithm, holds the loop back.
    /// </summary>
    public TimeSpan BindSlotWait => TimeSpan.FromTicks((long)(Interlocked.Read(ref _bindSlotWaitTicks) * ((double)TimeSpan.TicksPerSecond / System.Diagnostics.Stopwatch.Frequency)));

    internal void RecordBindSlotWait(long stopwatchTicks) => Interlocked.Add(ref _bindSlotWaitTicks, stopwatchTicks);

    internal void RecordCycle(long stopwatchTicks)
    {
        Interlocked.Add(ref _cycleTicks, stopwatchTicks);
        Interlocked.Increment(ref _cycles);
    }

    internal void RecordUnschedulable() => Interlocked.Increment(ref _unschedulable);

    internal void RecordError() => Interlocked.Increment(ref _errors);

    /// <summary>The given percentile (0–100) of the time from a pod entering the queue to its binding, in milliseconds.</summary>
    public double LatencyPercentile(double percentile)
    {
        double[] sample;
        lock (_lock)
        {
            sample = _latencies.AsSpan(0, (int)Math.Min(_latencyCount, ReservoirSize)).ToArray();
        }

        if (sample.Length == 0)
        {
            return 0;
        }

        Array.Sort(sample);
        var index = (int)Math.Ceiling(percentile / 100 * sample.Length) - 1;
        return sample[Math.Clamp(index, 0, sample.Length - 1)];
    }

    /// <summary>Forgets the latencies recorded so far (a benchmark's measured phase starts).</summary>
    public void ResetLatencies()
    {
        lock (_lock)
        {
            _latencyCount = 0;
        }
    }
}
