using System.Globalization;
using Korral.Bench.Scheduler.Workloads;

namespace Korral.Bench.Scheduler;

/// <summary>The benchmark's settings, parsed from the command line and validated once (every problem reported together).</summary>
public sealed record SchedulerBenchOptions
{
    public static string Usage => $"""
        Usage: dotnet run -c Release --project bench/Korral.Bench.Scheduler -- [flags]

          --workload LIST        comma-separated, or all (default: basic-10k); each runs on a fresh cluster:
                                 {string.Join(", ", WorkloadCatalog.All.Select(w => w.Key))}
          --nodes N              override the node count of every chosen workload (quick runs)
          --init-pods N          override the initial pods
          --measure-pods N       override the measured pods
          --writers N            concurrent pod-creating tasks (default 48)
          --no-warmup            skip the unmeasured warm-up (500 nodes, 3,000 pods) that JIT-compiles the hot paths first
          --parallelism N        the scheduler's filter/score threads (default: the cores)
          --phase-timeout S      seconds each phase may take (default 900)
          --data-dir DIR         where each cluster's temp store goes (default: the temp dir)
          --log PATH             where the scheduler's and server's log lines go (default: a file in the temp dir)
          --output PATH          also write the Markdown table to PATH
        """;

    public IReadOnlyList<Workload> Workloads { get; init; } = [WorkloadCatalog.All[0]];

    public int Writers { get; init; } = 48;

    /// <summary>
    /// Run a small unmeasured workload first: without it the first workload is measured while the JIT still runs tier-0
    /// code and recompiles hot methods (with workstation GC a cold basic-10k read 733–815 pods/s, 1,015 after the
    /// warm-up, same machine, same hour).
    /// </summary>
    public bool Warmup { get; init; } = true;

    public int? Parallelism { get; init; }

    public TimeSpan PhaseTimeout { get; init; } = TimeSpan.FromSeconds(900);

    public string DataRoot { get; init; } = Path.GetTempPath();

    public string LogPath { get; init; } = Path.Combine(Path.GetTempPath(), $"korral-sched-bench-{Environment.ProcessId}.log");

    public string? OutputPath { get; init; }

    public static SchedulerBenchOptions Parse(IReadOnlyList<string> args)
    {
        var errors = new List<string>();
        var options = new SchedulerBenchOptions();
        string workloads = WorkloadCatalog.All[0].Key;
        int? nodes = null, initPods = null, measurePods = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h")
            {
                throw new UsageException(null);
            }

            if (arg == "--no-warmup")
            {
                options = options with { Warmup = false };
                continue;
            }

            var eq = arg.IndexOf('=');
            var name = arg.StartsWith("--", StringComparison.Ordinal) ? (eq > 0 ? arg[2..eq] : arg[2..]) : "";
            if (name.Length == 0)
            {
                errors.Add($"unexpected argument \"{arg}\"");
                continue;
            }

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

            switch (name)
            {
                case "workload": workloads = value; break;
                case "nodes": nodes = Int(name, value, 1, errors); break;
                case "init-pods": initPods = Int(name, value, 0, errors); break;
                case "measure-pods": measurePods = Int(name, value, 1, errors); break;
                case "writers": options = options with { Writers = Int(name, value, 1, errors) }; break;
                case "parallelism": options = options with { Parallelism = Int(name, value, 1, errors) }; break;
                case "phase-timeout": options = options with { PhaseTimeout = TimeSpan.FromSeconds(Int(name, value, 1, errors)) }; break;
                case "data-dir": options = options with { DataRoot = value }; break;
                case "log": options = options with { LogPath = value }; break;
                case "output": options = options with { OutputPath = value }; break;
                default: errors.Add($"unknown flag --{name}"); break;
            }
        }

        var chosen = new List<Workload>();
        foreach (var key in workloads.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (key == "all")
            {
                chosen.AddRange(WorkloadCatalog.All);
            }
            else if (WorkloadCatalog.Find(key) is { } w)
            {
                chosen.Add(w);
            }
            else
            {
                errors.Add($"--workload: unknown workload \"{key}\" (use all or {string.Join(", ", WorkloadCatalog.All.Select(w => w.Key))})");
            }
        }

        if (chosen.Count == 0 && errors.Count == 0)
        {
            errors.Add("--workload: name at least one workload");
        }

        if (!Directory.Exists(options.DataRoot))
        {
            errors.Add($"--data-dir {options.DataRoot} does not exist");
        }

        if (errors.Count > 0)
        {
            throw new UsageException(string.Join("\n", errors));
        }

        return options with { Workloads = chosen.Select(w => w.Resized(nodes, initPods, measurePods)).ToList() };
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
}
