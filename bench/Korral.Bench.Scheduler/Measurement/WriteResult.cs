namespace Korral.Bench.Scheduler.Measurement;

/// <summary>How a batch of writes went: how many, how long, how many were retried after 429/5xx.</summary>
public sealed record WriteResult(int Count, TimeSpan Elapsed, int Retries)
{
    public double PerSecond => Elapsed > TimeSpan.Zero ? Count / Elapsed.TotalSeconds : 0;
}
