namespace Korral.Cli;

/// <summary>
/// A small parser for "--name value", "--name=value" and boolean "--name" flags, in the style of k3s's CLI.
/// Unknown flags are errors, so typos are caught at start-up.
/// </summary>
public sealed class Flags
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    private Flags()
    {
    }

    public IReadOnlyList<string> Positional { get; private set; } = [];

    public static Flags Parse(IReadOnlyList<string> args, IReadOnlySet<string> valueFlags, IReadOnlySet<string> boolFlags)
    {
        var flags = new Flags();
        var positional = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg == "--")
            {
                positional.Add(arg);
                continue;
            }

            var eq = arg.IndexOf('=');
            var name = eq > 0 ? arg[2..eq] : arg[2..];
            string value;
            if (boolFlags.Contains(name))
            {
                value = eq > 0 ? arg[(eq + 1)..] : "true";
            }
            else if (valueFlags.Contains(name))
            {
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
                    throw new UsageException($"flag --{name} needs a value");
                }
            }
            else
            {
                throw new UsageException($"unknown flag --{name}");
            }

            if (!flags._values.TryGetValue(name, out var list))
            {
                flags._values[name] = list = [];
            }

            list.Add(value);
        }

        flags.Positional = positional;
        return flags;
    }

    public string? Get(string name) => _values.TryGetValue(name, out var v) ? v[^1] : null;

    public IReadOnlyList<string> GetAll(string name) => _values.TryGetValue(name, out var v) ? v : [];

    public bool IsSet(string name) => Get(name) is "true" or "1";

    public int GetInt(string name, int fallback)
    {
        var value = Get(name);
        if (value is null)
        {
            return fallback;
        }

        return int.TryParse(value, out var n) ? n : throw new UsageException($"--{name} must be a number, got \"{value}\"");
    }
}

/// <summary>A mistake on the command line: printed with the usage, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
