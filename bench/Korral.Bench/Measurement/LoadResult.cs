namespace Korral.Bench.Measurement;

/// <summary>The outcome of a load run: successful latencies, failures, and the wall time it took.</summary>
public sealed record LoadResult(int Workers, Latencies Latencies, int Errors, string? FirstError, TimeSpan Elapsed)
{
    public int Succeeded => Latencies.Count;

    public double PerSecond => Elapsed > TimeSpan.Zero ? Succeeded / Elapsed.TotalSeconds : 0;
}
