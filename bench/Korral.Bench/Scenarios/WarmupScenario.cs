using Korral.Bench.Measurement;

namespace Korral.Bench.Scenarios;

/// <summary>
/// Warms both processes before anything is measured: creates, gets and lists of ConfigMaps and Pods in a namespace of
/// its own, long enough (a few seconds) for tiered JIT to reach optimized code on the hot paths.
/// </summary>
public static class WarmupScenario
{
    public const int ConfigMaps = 2000;
    public const int Pods = 500;

    public static async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        BenchContext.Progress("warm-up");
        var ns = await context.CreateNamespaceAsync("warmup", cancellationToken);
        var limit = TimeSpan.FromSeconds(20);
        var client = context.Client;
        await LoadRunner.RunAsync(8, ConfigMaps, limit, Requests.Create(client, $"/api/v1/namespaces/{ns}/configmaps", Payloads.ConfigMap), cancellationToken);
        await LoadRunner.RunAsync(8, Pods, limit, Requests.Create(client, $"/api/v1/namespaces/{ns}/pods", Payloads.Pod), cancellationToken);
        await LoadRunner.RunAsync(8, 4000, limit, Requests.Get(client, i => $"/api/v1/namespaces/{ns}/configmaps/{Payloads.ConfigMapName(i % ConfigMaps)}"), cancellationToken);
        await LoadRunner.RunAsync(8, 4000, limit, Requests.Get(client, i => $"/api/v1/namespaces/{ns}/pods/{Payloads.PodName(i % Pods)}"), cancellationToken);
        await LoadRunner.RunAsync(1, 20, limit, Requests.Get(client, _ => $"/api/v1/namespaces/{ns}/pods"), cancellationToken);
        await LoadRunner.RunAsync(1, 20, limit, async (_, ct) => (await ListScenario.MeasureAsync(client, $"/api/v1/namespaces/{ns}/pods", table: true, ct)).Error, cancellationToken);
    }
}
