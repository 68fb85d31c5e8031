using System.Globalization;
using Korral.Bench.Cluster;
using Korral.Bench.Reporting;

namespace Korral.Bench;

/// <summary>What every scenario works with: the options, the client, the server (when the benchmark started it), the report.</summary>
public sealed class BenchContext(BenchOptions options, Kubeconfig kubeconfig, ApiClient client, ServerProcess? server, Report report)
{
    public BenchOptions Options { get; } = options;

    public Kubeconfig Kubeconfig { get; } = kubeconfig;

    /// <summary>The shared client of the request scenarios (one HTTP/2 connection, or a pool of HTTP/1.1 ones).</summary>
    public ApiClient Client { get; } = client;

    public ServerProcess? Server { get; } = server;

    public Report Report { get; } = report;

    /// <summary>Suffix of this run's namespaces, so a run against a long-lived server never collides with an earlier one.</summary>
    public string RunId { get; } = Guid.NewGuid().ToString("N")[..6];

    /// <summary>The namespace holding the LIST/GET pod population, once created.</summary>
    public string? PopulatedNamespace { get; set; }

    public int PopulatedPods { get; set; }

    /// <summary>The phase running now, for failure reports.</summary>
    public string CurrentPhase { get; set; } = "start";

    /// <summary>The server's process id, when its memory can be read.</summary>
    public int? ServerPid => Server?.Pid ?? Options.ServerPid;

    public static void Progress(string message) =>
        Console.Error.WriteLine($"{DateTime.Now.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)} {message}");

    /// <summary>Creates a namespace for one run and returns its name.</summary>
    public async Task<string> CreateNamespaceAsync(string purpose, CancellationToken cancellationToken)
    {
        var name = $"bench-{purpose}-{RunId}";
        using (await Client.CreateAsync("/api/v1/namespaces", Scenarios.Payloads.Namespace(name), cancellationToken))
        {
        }

        return name;
    }
}
