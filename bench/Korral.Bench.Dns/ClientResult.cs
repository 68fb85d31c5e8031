namespace Korral.Bench.Dns;

/// <summary>One client's tally: a latency per answered query (microseconds), answers by rcode, truncations, timeouts.</summary>
public sealed class ClientResult
{
    public List<double> LatenciesMicroseconds { get; } = new(1 << 16);

    public int[] Rcodes { get; } = new int[16];

    public int Truncated { get; set; }

    public int Timeouts { get; set; }

    public void Record(TimeSpan latency, int rcode, bool truncated)
    {
        LatenciesMicroseconds.Add(latency.TotalMicroseconds);
        Rcodes[rcode]++;
        if (truncated)
        {
            Truncated++;
        }
    }
}
