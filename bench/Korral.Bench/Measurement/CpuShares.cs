using System.Globalization;

namespace Korral.Bench.Measurement;

/// <summary>Percent of all the machine's cores used by the server, the client and other processes.</summary>
public sealed record CpuShares(double Server, double Client, double Others)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"server {Server:0}%, client {Client:0}%, other processes {Others:0}% of all cores");
}
