namespace Korral.Bench.Dns;

/// <summary>All clients of one scenario together.</summary>
public sealed record LoadResult(Scenario Scenario, long Answered, int Timeouts, int Truncated, string Rcodes, TimeSpan Elapsed,
    double P50, double P90, double P99, double P999, double Max)
{
    public double QueriesPerSecond => Answered / Elapsed.TotalSeconds;

    public static LoadResult Combine(Scenario scenario, IReadOnlyList<ClientResult> clients, TimeSpan elapsed)
    {
        var all = clients.SelectMany(c => c.LatenciesMicroseconds).ToArray();
        Array.Sort(all);
        double At(double q) => all.Length == 0 ? double.NaN : all[Math.Min(all.Length - 1, (int)(q * all.Length))];
        var names = new[] { "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED" };
        var rcodes = Enumerable.Range(0, 16).Select(r => (r, clients.Sum(c => c.Rcodes[r]))).Where(p => p.Item2 > 0)
            .Select(p => $"{(p.r < names.Length ? names[p.r] : p.r.ToString(System.Globalization.CultureInfo.InvariantCulture))} {p.Item2}");
        return new LoadResult(scenario, all.Length, clients.Sum(c => c.Timeouts), clients.Sum(c => c.Truncated), string.Join(", ", rcodes), elapsed,
            At(0.50), At(0.90), At(0.99), At(0.999), all.Length == 0 ? double.NaN : all[^1]);
    }
}
