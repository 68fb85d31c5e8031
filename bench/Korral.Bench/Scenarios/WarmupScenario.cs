using System.Diagnostics;
using Korral.Bench.Cluster;
using Korral.Bench.Measurement;
using Korral.Bench.Reporting;

namespace Korral.Bench.Scenarios;

/// <summary>
/// Warms both processes before anything is measured: rounds of creates, gets and lists (JSON and Table) of ConfigMaps
/// and Pods in a namespace of its own. With tiered compilation and PGO a fresh .NET process keeps recompiling hot
/// methods for seconds, on a background thread that competes for the same 2 cores; when the server's process is known,
/// rounds go on until its tiered-compilation thread used less than <see cref="JitIdleShare"/> of a core during a round
/// (at most <see cref="MaxDuration"/>), otherwise one round is run.
/// </summary>
public static class WarmupScenario
{
    public static readonly TimeSpan MaxDuration = TimeSpan.FromSeconds(20);
    public const double JitIdleShare = 0.05;
    private const int ConfigMapsFirstRound = 500;
    private const int PodsFirstRound = 150;
    private const int ConfigMapsPerRound = 100;
    private const int PodsPerRound = 30;

    /// <summary>Objects the warm-up created (they stay stored, and count in the memory figures).</summary>
    public static int ConfigMaps { get; private set; }

    public static int Pods { get; private set; }

    public static async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        BenchContext.Progress("warm-up");
        var ns = await context.CreateNamespaceAsync("warmup", cancellationToken);
        var clock = Stopwatch.StartNew();
        var rounds = 0;
        var jitShare = double.NaN;
        do
        {
            var jitBefore = JitTicks(context.ServerPid);
            var round = Stopwatch.StartNew();
            await RoundAsync(context.Client, ns, rounds, cancellationToken);
            rounds++;
            if (context.ServerPid is null)
            {
                break;
            }

            jitShare = (JitTicks(context.ServerPid) - jitBefore) / 100.0 / round.Elapsed.TotalSeconds;
            BenchContext.Progress($"  round {rounds}: {Format.Duration(round.Elapsed)}, server JIT thread busy {jitShare:P0}");
        }
        while (jitShare >= JitIdleShare && clock.Elapsed < MaxDuration);

        var settled = double.IsNaN(jitShare) ? "one round (server process unknown)" :
            jitShare < JitIdleShare ? $"until the server's JIT thread was idle (< {JitIdleShare:P0} of a core)" : $"stopped at the {MaxDuration.TotalSeconds:0} s limit, JIT thread still {jitShare:P0} busy";
        context.Report.Note($"Warm-up: {rounds} round{(rounds == 1 ? "" : "s")} in {Format.Duration(clock.Elapsed)}, {settled}; " +
            $"{Format.Count(ConfigMaps)} ConfigMaps and {Format.Count(Pods)} pods created in namespace `{ns}`.");
    }

    /// <summary>One round: creates, GETs of what exists, and a few JSON and Table LISTs; about a second on a quiet machine.</summary>
    private static async Task RoundAsync(ApiClient client, string ns, int round, CancellationToken cancellationToken)
    {
        var limit = TimeSpan.FromSeconds(10);
        // Later rounds create fewer objects: they are there for the JIT, and every object stays in the memory figures.
        var cmBase = (long)ConfigMaps;
        var podBase = (long)Pods;
        var cms = await LoadRunner.RunAsync(8, round == 0 ? ConfigMapsFirstRound : ConfigMapsPerRound, limit,
            (i, ct) => Requests.Create(client, $"/api/v1/namespaces/{ns}/configmaps", Payloads.ConfigMap)(cmBase + i, ct), cancellationToken);
        var pods = await LoadRunner.RunAsync(8, round == 0 ? PodsFirstRound : PodsPerRound, limit,
            (i, ct) => Requests.Create(client, $"/api/v1/namespaces/{ns}/pods", Payloads.Pod)(podBase + i, ct), cancellationToken);
        ConfigMaps += cms.Succeeded;
        Pods += pods.Succeeded;
        var haveCms = Math.Max(1, cmBase + cms.Succeeded);
        var havePods = Math.Max(1, podBase + pods.Succeeded);
        await LoadRunner.RunAsync(8, 1500, limit, Requests.Get(client, i => $"/api/v1/namespaces/{ns}/configmaps/{Payloads.ConfigMapName(i % haveCms)}"), cancellationToken);
        await LoadRunner.RunAsync(8, 1500, limit, Requests.Get(client, i => $"/api/v1/namespaces/{ns}/pods/{Payloads.PodName(i % havePods)}"), cancellationToken);
        await LoadRunner.RunAsync(1, 5, limit, Requests.Get(client, _ => $"/api/v1/namespaces/{ns}/pods"), cancellationToken);
        await LoadRunner.RunAsync(1, 5, limit, async (_, ct) => (await ListScenario.MeasureAsync(client, $"/api/v1/namespaces/{ns}/pods", table: true, ct)).Error,
            cancellationToken);
    }

    private static long JitTicks(int? pid) => pid is { } p ? ProcStatus.ThreadTicks(p, ".NET Tiered Com") : 0;
}
