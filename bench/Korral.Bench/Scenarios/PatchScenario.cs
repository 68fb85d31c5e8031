using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Korral.Bench.Measurement;
using Korral.Bench.Reporting;

namespace Korral.Bench.Scenarios;

/// <summary>
/// Patch throughput on a 3-container Deployment: strategic merge patches (what `kubectl apply`, `set env` and `edit`
/// send) and server-side applies (`kubectl apply --server-side`), each changing one env value so every request is a
/// real, durable write with managedFields tracking. The Deployments are paused, so the controller manager (if it runs)
/// does no rollout work that would be measured along.
/// </summary>
public static class PatchScenario
{
    private const int Deployments = 64;
    private const int Workers = 8;

    public static async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var ns = await context.CreateNamespaceAsync("patch", cancellationToken);
        var collection = $"/apis/apps/v1/namespaces/{ns}/deployments";
        for (var i = 0; i < Deployments; i++)
        {
            using var created = await context.Client.PostAsync(collection, Encoding.UTF8.GetBytes(Deployment(ns, i, "0")), cancellationToken);
            if (created.StatusCode != HttpStatusCode.Created)
            {
                context.Report.Problem($"patch set-up: POST {collection}: {await Cluster.ApiClient.DescribeAsync(created, cancellationToken)}");
                return;
            }
        }

        var strategic = Patch(context, collection, "application/strategic-merge-patch+json", "fieldManager=bench-smp",
            i => "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"env\":[{\"name\":\"REVISION\",\"value\":\"" +
                i.ToString(CultureInfo.InvariantCulture) + "\"}]}]}}}}");
        var apply = Patch(context, collection, "application/apply-patch+yaml", "fieldManager=bench-ssa&force=true",
            i => Deployment(ns, i % Deployments, i.ToString(CultureInfo.InvariantCulture)));

        foreach (var (name, operation) in new[] { ("strategic merge patch", strategic), ("server-side apply", apply) })
        {
            await LoadRunner.RunAsync(Workers, 500, TimeSpan.FromSeconds(5), operation, cancellationToken);
            BenchContext.Progress($"{name}, 3-container Deployment, {Workers} workers");
            var result = await LoadRunner.RunAsync(Workers, 3000, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(10), operation, cancellationToken);
            BenchContext.Progress($"  {Requests.Describe(result)}");
            Requests.ReportErrors(context, name, result);
            context.Report.Row(new ResultRow($"PATCH {name}, 3-container Deployment, {Workers} workers (durable)", Requests.Describe(result)));
        }
    }

    private static Operation Patch(BenchContext context, string collection, string contentType, string query, Func<long, string> body) =>
        async (index, cancellationToken) =>
        {
            var path = $"{collection}/{Name(index % Deployments)}?{query}";
            using var request = new HttpRequestMessage(HttpMethod.Patch, path)
            {
                Version = context.Client.HttpVersion,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body(index))),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            using var response = await context.Client.Http.SendAsync(request, cancellationToken);
            await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Created
                ? null
                : $"PATCH {path}: {await Cluster.ApiClient.DescribeAsync(response, cancellationToken)}";
        };

    private static string Name(long index) => "patch-" + index.ToString("D3", CultureInfo.InvariantCulture);

    /// <summary>A paused Deployment with three containers (ports, env, resources): the shape the issue asks to patch.</summary>
    private static string Deployment(string ns, long index, string revision)
    {
        var name = Name(index);
        return "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"" + ns +
            "\",\"labels\":{\"app\":\"" + name + "\"}},\"spec\":{\"replicas\":1,\"paused\":true,\"selector\":{\"matchLabels\":{\"app\":\"" + name +
            "\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"" + name + "\"}},\"spec\":{\"containers\":[" +
            "{\"name\":\"app\",\"image\":\"nginx:1.27\",\"ports\":[{\"containerPort\":80}],\"env\":[{\"name\":\"MODE\",\"value\":\"web\"}," +
            "{\"name\":\"REVISION\",\"value\":\"" + revision + "\"}],\"resources\":{\"requests\":{\"cpu\":\"100m\",\"memory\":\"64Mi\"}," +
            "\"limits\":{\"cpu\":\"500m\",\"memory\":\"128Mi\"}}}," +
            "{\"name\":\"cache\",\"image\":\"redis:7\",\"ports\":[{\"containerPort\":6379}],\"resources\":{\"requests\":{\"cpu\":\"50m\",\"memory\":\"32Mi\"}}}," +
            "{\"name\":\"sidecar\",\"image\":\"busybox:1.36\",\"command\":[\"sh\",\"-c\",\"sleep 3600\"],\"env\":[{\"name\":\"LOG_LEVEL\",\"value\":\"info\"}]}" +
            "]}}}}";
    }
}
