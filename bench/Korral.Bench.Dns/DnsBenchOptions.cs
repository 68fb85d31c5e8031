namespace Korral.Bench.Dns;

/// <summary>Command-line flags of the DNS benchmark.</summary>
public sealed record DnsBenchOptions
{
    public const string Usage = """
        usage: Korral.Bench.Dns [flags]
          --scenario LIST   cluster-a, cluster-srv, cluster-nx, forward-a, tcp-cluster-a, or all (default all)
          --duration S      measured seconds per scenario (default 10)
          --warmup S        unmeasured seconds before each scenario (default 2)
          --clients N       concurrent clients, each with one query outstanding (default 32)
          --services N      ClusterIP Services in the index (default 5000)
          --output FILE     also write the Markdown table there
        """;

    public IReadOnlyList<string> Scenarios { get; init; } = Scenario.Names;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    public int Clients { get; init; } = 32;

    public int Services { get; init; } = 5000;

    public string? Output { get; init; }

    public static DnsBenchOptions Parse(string[] args)
    {
        var options = new DnsBenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--scenario" => options with { Scenarios = Value() is var list && list == "all" ? Scenario.Names : list.Split(',') },
                "--duration" => options with { Duration = TimeSpan.FromSeconds(double.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture)) },
                "--warmup" => options with { Warmup = TimeSpan.FromSeconds(double.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture)) },
                "--clients" => options with { Clients = int.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture) },
                "--services" => options with { Services = int.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture) },
                "--output" => options with { Output = Value() },
                _ => throw new ArgumentException($"unknown flag {args[i]}"),
            };
        }

        var unknown = options.Scenarios.Except(Scenario.Names).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"unknown scenario(s) {string.Join(", ", unknown)}");
        }

        return options;
    }
}
