using System.Globalization;

namespace Korral.Bench.Ingress;

/// <summary>Command-line options of the ingress benchmark.</summary>
internal sealed record BenchOptions
{
    public const string Usage = """
        Usage: Korral.Bench.Ingress [options]

        Requests per second and latency of plain HTTP GETs straight to a "pod" (an nginx serving the nginx image's
        welcome page) and through the ingress controller's nginx in front of it, on 127.0.0.1.

          --duration SECONDS      measured time per phase (default 10)
          --warmup SECONDS        unmeasured time before each phase (default 2)
          --connections N,N,...   concurrent keep-alive connections per phase (default 1,16,64)
          --workers N             worker processes of each nginx (default 1: two nginx and the client share 2 cores)
          --output FILE           also write the Markdown report to FILE
          --help                  this text
        """;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    public IReadOnlyList<int> Connections { get; init; } = [1, 16, 64];

    public int Workers { get; init; } = 1;

    public string? Output { get; init; }

    public static BenchOptions? Parse(string[] args, out string? error)
    {
        error = null;
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{args[i]} needs a value");
            try
            {
                options = args[i] switch
                {
                    "--duration" => options with { Duration = TimeSpan.FromSeconds(Positive(Value())) },
                    "--warmup" => options with { Warmup = TimeSpan.FromSeconds(int.Parse(Value(), CultureInfo.InvariantCulture)) },
                    "--connections" => options with { Connections = [.. Value().Split(',').Select(Positive)] },
                    "--workers" => options with { Workers = Positive(Value()) },
                    "--output" => options with { Output = Value() },
                    "--help" or "-h" => null,
                    _ => throw new FormatException($"unknown option {args[i]}"),
                };
            }
            catch (FormatException e)
            {
                error = e.Message;
                return null;
            }

            if (options is null)
            {
                return null;
            }
        }

        return options;
    }

    private static int Positive(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : throw new FormatException($"\"{text}\" is not a positive number");
}
