using System.Globalization;

namespace Korral.Bench;

/// <summary>
/// The benchmark's settings, parsed from the command line and validated once (every problem reported together).
/// Defaults keep a full run under about five minutes on a 2-core machine.
/// </summary>
public sealed record BenchOptions
{
    public const string Usage = """
        Usage: dotnet run -c Release --project bench/Korral.Bench -- [flags]

        Server (one of; default: start one with the first korral build found, see README):
          --server-binary PATH       korral executable or korral.dll to start (Release publish recommended)
          --kubeconfig PATH          benchmark a running server instead (no cold start; RSS only with --server-pid)
          --server-pid PID           process id of the --kubeconfig server, to read its RSS
          --server-arg ARG           extra flag for the started server (repeatable), e.g. --server-arg=--disable-controller-manager

        What to run:
          --scenario LIST            comma-separated: all (default), start, create, get, list, patch, watch, rss
          --http VERSION             2 (default) or 1.1
          --cold-starts N            cold starts to take the median of (default 3)
          --create-ops N             creates per run at least (default 5000) ...
          --create-min-seconds S     ... lasting at least S seconds (default 3) ...
          --create-seconds S         ... unless S seconds pass first (default 10)
          --get-ops N                GETs (default 20000), --get-seconds S (default 10)
          --list-pods N              pods created for the LIST test (default 10000)
          --list-repeats N           timed LISTs of each kind, median reported (default 5)
          --watchers LIST            watch fan-out steps (default 100,1000)
          --watches-per-connection N HTTP/2 streams per connection for watches (default 250)
          --output PATH              also write the Markdown report to PATH
        """;

    /// <summary>The scenarios <c>all</c> stands for, in the order they run.</summary>
    public static readonly IReadOnlyList<string> AllScenarios = ["start", "rss", "list", "get", "create", "patch", "watch"];

    public string? ServerBinary { get; init; }

    public string? Kubeconfig { get; init; }

    public int? ServerPid { get; init; }

    /// <summary>Extra flags for a server the benchmark starts.</summary>
    public IReadOnlyList<string> ServerArgs { get; init; } = [];

    public IReadOnlySet<string> Scenarios { get; init; } = new HashSet<string>(AllScenarios);

    public Version HttpVersion { get; init; } = System.Net.HttpVersion.Version20;

    public int ColdStarts { get; init; } = 3;

    public int CreateOps { get; init; } = 5000;

    public TimeSpan CreateMinDuration { get; init; } = TimeSpan.FromSeconds(3);

    public TimeSpan CreateDuration { get; init; } = TimeSpan.FromSeconds(10);

    public IReadOnlyList<int> CreateWorkers { get; init; } = [1, 8, 32];

    public int GetOps { get; init; } = 20_000;

    public TimeSpan GetDuration { get; init; } = TimeSpan.FromSeconds(10);

    public int GetWorkers { get; init; } = 8;

    public int ListPods { get; init; } = 10_000;

    public int ListRepeats { get; init; } = 5;

    public IReadOnlyList<int> Watchers { get; init; } = [100, 1000];

    public int WatchesPerConnection { get; init; } = 250;

    public string? OutputPath { get; init; }

    public bool Runs(string scenario) => Scenarios.Contains(scenario);

    /// <summary>The pod population is needed by the LIST and GET tests and by the "RSS after N pods" figure.</summary>
    public bool NeedsPopulation => Runs("list") || Runs("get") || Runs("rss");

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var errors = new List<string>();
        var options = new BenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h")
            {
                throw new BenchUsageException(null);
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                errors.Add($"unexpected argument \"{arg}\"");
                continue;
            }

            var eq = arg.IndexOf('=');
            var name = eq > 0 ? arg[2..eq] : arg[2..];
            string value;
            if (eq > 0)
            {
                value = arg[(eq + 1)..];
            }
            else if (i + 1 < args.Count)
            {
                value = args[++i];
            }
            else
            {
                errors.Add($"--{name} needs a value");
                continue;
            }

            options = name switch
            {
                "server-binary" => options with { ServerBinary = value },
                "kubeconfig" => options with { Kubeconfig = value },
                "server-arg" => options with { ServerArgs = [.. options.ServerArgs, value] },
                "server-pid" => options with { ServerPid = Int(name, value, 1, errors) },
                "scenario" => options with { Scenarios = ParseScenarios(value, errors) },
                "http" => options with { HttpVersion = ParseHttp(value, errors) },
                "cold-starts" => options with { ColdStarts = Int(name, value, 1, errors) },
                "create-ops" => options with { CreateOps = Int(name, value, 1, errors) },
                "create-min-seconds" => options with { CreateMinDuration = TimeSpan.FromSeconds(Int(name, value, 0, errors)) },
                "create-seconds" => options with { CreateDuration = TimeSpan.FromSeconds(Int(name, value, 1, errors)) },
                "get-ops" => options with { GetOps = Int(name, value, 1, errors) },
                "get-seconds" => options with { GetDuration = TimeSpan.FromSeconds(Int(name, value, 1, errors)) },
                "list-pods" => options with { ListPods = Int(name, value, 1, errors) },
                "list-repeats" => options with { ListRepeats = Int(name, value, 1, errors) },
                "watchers" => options with { Watchers = value.Split(',').Select(v => Int(name, v, 1, errors)).ToList() },
                "watches-per-connection" => options with { WatchesPerConnection = Int(name, value, 1, errors) },
                "output" => options with { OutputPath = value },
                _ => Unknown(options, name, errors),
            };
        }

        errors.AddRange(options.Validate());
        if (errors.Count > 0)
        {
            throw new BenchUsageException(string.Join("\n", errors));
        }

        return options;
    }

    /// <summary>Every reason these options cannot run, each with what to do about it.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (ServerBinary is not null && Kubeconfig is not null)
        {
            errors.Add("--server-binary and --kubeconfig exclude each other: start a server, or point at a running one");
        }

        if (ServerBinary is not null && !File.Exists(ServerBinary))
        {
            errors.Add($"--server-binary {ServerBinary} does not exist (build it: dotnet publish src/Korral -c Release -o /tmp/korral-bench-bin)");
        }

        if (Kubeconfig is not null && !File.Exists(Kubeconfig))
        {
            errors.Add($"--kubeconfig {Kubeconfig} does not exist");
        }

        if (ServerArgs.Count > 0 && Kubeconfig is not null)
        {
            errors.Add("--server-arg only applies to a server the benchmark starts: drop --kubeconfig");
        }

        if (ServerPid is not null && Kubeconfig is null)
        {
            errors.Add("--server-pid only applies with --kubeconfig (a started server's pid is known)");
        }

        if (CreateMinDuration > CreateDuration)
        {
            errors.Add("--create-min-seconds must not exceed --create-seconds");
        }

        if (Kubeconfig is not null && Runs("start") && Scenarios.Count == 1)
        {
            errors.Add("--scenario start needs a server the benchmark starts itself: drop --kubeconfig");
        }

        return errors;
    }

    private static BenchOptions Unknown(BenchOptions options, string name, List<string> errors)
    {
        errors.Add($"unknown flag --{name}");
        return options;
    }

    private static int Int(string name, string value, int min, List<string> errors)
    {
        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min)
        {
            return n;
        }

        errors.Add($"--{name} must be a whole number ≥ {min}, got \"{value}\"");
        return min;
    }

    private static HashSet<string> ParseScenarios(string value, List<string> errors)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (part == "all")
            {
                set.UnionWith(AllScenarios);
            }
            else if (AllScenarios.Contains(part))
            {
                set.Add(part);
            }
            else
            {
                errors.Add($"--scenario: unknown scenario \"{part}\" (use all or {string.Join(", ", AllScenarios)})");
            }
        }

        return set;
    }

    private static Version ParseHttp(string value, List<string> errors)
    {
        switch (value)
        {
            case "2" or "2.0" or "h2":
                return System.Net.HttpVersion.Version20;
            case "1.1" or "http/1.1":
                return System.Net.HttpVersion.Version11;
            default:
                errors.Add($"--http must be 2 or 1.1, got \"{value}\"");
                return System.Net.HttpVersion.Version20;
        }
    }
}
