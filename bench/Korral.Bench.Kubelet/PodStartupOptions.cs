using System.Globalization;

namespace Korral.Bench.Kubelet;

/// <summary>The benchmark's settings, parsed from the command line and validated once (every problem reported together).</summary>
public sealed record PodStartupOptions
{
    public static string Usage => $"""
        Usage (as root): dotnet bench/Korral.Bench.Kubelet/bin/Release/net10.0/Korral.Bench.Kubelet.dll [flags]

          --runs N               sequential single-pod runs per variant (default 10)
          --parallel N           pods created at once per variant (default 30)
          --variants LIST        comma-separated pull-policy variants (default: all): {string.Join(", ", PullPolicyVariant.All.Select(v => v.Key))}
          --image IMAGE          the measured pods' image (default nginx:latest; it must be in the archives)
          --server-binary PATH   the korral build to start: an executable or korral.dll
                                 (default: /tmp/korral-bench-bin/korral, then src/Korral/bin/Release/net10.0/korral.dll)
          --images DIR           the OCI archives the node imports (default: out/images of the repository; built with
                                 images/build when it has no nginx.tar)
          --min-age MS           delete a pod only once it has been running this long (default 1000): nginx as PID 1
                                 ignores SIGTERM until it has installed its handlers, so a delete in its first
                                 milliseconds waits out the whole 30 s grace period
          --timeout S            seconds any one wait may take (default 120)
          --work-dir DIR         where the run's directory goes (default /tmp/korral-node-bench); the server's data is
                                 deleted at the end, its log and containerd's log are kept there
          --keep-data            keep the server's and the agent's data dirs
          --output PATH          also write the Markdown report to PATH
          --json PATH            write every measured pod's timeline and the summaries as JSON to PATH
        """;

    public int Runs { get; init; } = 10;

    public int Parallel { get; init; } = 30;

    public IReadOnlyList<PullPolicyVariant> Variants { get; init; } = PullPolicyVariant.All;

    public string Image { get; init; } = "nginx:latest";

    public string? ServerBinary { get; init; }

    public string? ImagesDir { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// How long a pod runs before the benchmark deletes it. A container's PID 1 ignores signals it has no handler for,
    /// and nginx installs its handlers only after reading its config: a SIGTERM sent 10–20 ms after StartContainer
    /// returned was ignored and the stop took the whole grace period (2 of 20 sequential pods in one run).
    /// </summary>
    public TimeSpan MinAge { get; init; } = TimeSpan.FromSeconds(1);

    public string WorkDir { get; init; } = Path.Combine(Path.GetTempPath(), "korral-node-bench");

    public bool KeepData { get; init; }

    public string? OutputPath { get; init; }

    public string? JsonPath { get; init; }

    /// <summary>The command line as given, for the report.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    public static PodStartupOptions Parse(IReadOnlyList<string> args)
    {
        var errors = new List<string>();
        var options = new PodStartupOptions { Arguments = [.. args] };
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h")
            {
                throw new UsageException(null);
            }

            if (arg == "--keep-data")
            {
                options = options with { KeepData = true };
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
                case "runs": options = options with { Runs = Int(name, value, 1, errors) }; break;
                case "parallel": options = options with { Parallel = Int(name, value, 1, errors) }; break;
                case "variants": options = options with { Variants = ParseVariants(value, errors) }; break;
                case "image": options = options with { Image = value }; break;
                case "server-binary": options = options with { ServerBinary = value }; break;
                case "images": options = options with { ImagesDir = value }; break;
                case "min-age": options = options with { MinAge = TimeSpan.FromMilliseconds(Int(name, value, 0, errors)) }; break;
                case "timeout": options = options with { Timeout = TimeSpan.FromSeconds(Int(name, value, 1, errors)) }; break;
                case "work-dir": options = options with { WorkDir = value }; break;
                case "output": options = options with { OutputPath = value }; break;
                case "json": options = options with { JsonPath = value }; break;
                default: errors.Add($"unknown flag --{name}"); break;
            }
        }

        if (options.Parallel > 100)
        {
            errors.Add($"--parallel {options.Parallel} is more than the node's 110 pods leave room for");
        }

        if (Environment.UserName != "root")
        {
            errors.Add("the node agent runs containers through containerd and needs root: run the benchmark as root");
        }

        if (errors.Count > 0)
        {
            throw new UsageException(string.Join("\n", errors));
        }

        return options;
    }

    private static IReadOnlyList<PullPolicyVariant> ParseVariants(string value, List<string> errors)
    {
        var chosen = new List<PullPolicyVariant>();
        foreach (var key in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (key == "all")
            {
                chosen.AddRange(PullPolicyVariant.All);
            }
            else if (PullPolicyVariant.Find(key) is { } variant)
            {
                chosen.Add(variant);
            }
            else
            {
                errors.Add($"--variants: unknown variant \"{key}\" (use all or {string.Join(", ", PullPolicyVariant.All.Select(v => v.Key))})");
            }
        }

        if (chosen.Count == 0)
        {
            errors.Add("--variants: name at least one variant");
        }

        return chosen.Distinct().ToList();
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
