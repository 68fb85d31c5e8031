using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Korral.Bench.Cluster;
using Korral.Bench.Reporting;

namespace Korral.Bench.Scenarios;

/// <summary>
/// Full LIST of the populated namespace's pods, as JSON and as a server-side Table (what kubectl get asks for): the time
/// from sending the request to the last byte of the body, median of several after one untimed warm-up, one at a time.
/// The first response of each kind is parsed to check it holds every pod.
/// </summary>
public static class ListScenario
{
    public const string TableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io";

    public static async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var path = $"/api/v1/namespaces/{context.PopulatedNamespace}/pods";
        foreach (var table in new[] { false, true })
        {
            var what = table ? "Table" : "JSON";
            BenchContext.Progress($"LIST {path} as {what}");
            await VerifyAsync(context, path, table, cancellationToken);
            var runs = new List<ListTiming>();
            for (var i = 0; i <= context.Options.ListRepeats; i++)
            {
                var timing = await MeasureAsync(context.Client, path, table, cancellationToken);
                if (timing.Error is not null)
                {
                    context.Report.Problem($"LIST {what}: `{timing.Error}`");
                    break;
                }

                if (i > 0)
                {
                    runs.Add(timing);
                }
            }

            if (runs.Count == 0)
            {
                continue;
            }

            var sorted = runs.OrderBy(r => r.Total).ToList();
            var median = sorted[(sorted.Count - 1) / 2];
            BenchContext.Progress($"  median {Format.Duration(median.Total)}, {Format.Bytes(median.Bytes)}");
            context.Report.Row(new ResultRow(
                $"LIST {Format.Count(context.PopulatedPods)} pods as {what} (median of {runs.Count})",
                $"{Format.Duration(median.Total)} (min {Format.Duration(sorted[0].Total)}, max {Format.Duration(sorted[^1].Total)}; " +
                $"first byte {Format.Duration(median.FirstByte)}) · {Format.Bytes(median.Bytes)}",
                "< 100 ms", Targets.AtMost(median.Total, Targets.List)));
        }
    }

    /// <summary>One LIST, timed to the first byte (headers) and to the end of the body, which is read and dropped.</summary>
    public static async Task<ListTiming> MeasureAsync(ApiClient client, string path, bool table, CancellationToken cancellationToken)
    {
        using var request = Request(path, table);
        var buffer = new byte[64 * 1024];
        var started = Stopwatch.GetTimestamp();
        using var response = await client.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var firstByte = Stopwatch.GetElapsedTime(started);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return new ListTiming(0, firstByte, firstByte, $"GET {path}: {await ApiClient.DescribeAsync(response, cancellationToken)}");
        }

        var bytes = await ApiClient.DrainAsync(response, buffer, cancellationToken);
        return new ListTiming(bytes, firstByte, Stopwatch.GetElapsedTime(started), null);
    }

    private static async Task VerifyAsync(BenchContext context, string path, bool table, CancellationToken cancellationToken)
    {
        using var request = Request(path, table);
        using var response = await context.Client.Http.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            context.Report.Problem($"LIST {path} ({(table ? "Table" : "JSON")}): {await ApiClient.DescribeAsync(response, cancellationToken)}");
            return;
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var doc = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
        var root = doc.RootElement;
        var kind = root.TryGetProperty("kind", out var k) ? k.GetString() : null;
        var array = table ? "rows" : "items";
        var count = root.TryGetProperty(array, out var list) && list.ValueKind == JsonValueKind.Array ? list.GetArrayLength() : -1;
        var expectedKind = table ? "Table" : "PodList";
        if (kind != expectedKind || count != context.PopulatedPods)
        {
            context.Report.Problem($"LIST {path} ({(table ? "Table" : "JSON")}) returned kind {kind} with {count} {array}, expected {expectedKind} with {context.PopulatedPods}");
        }
    }

    private static HttpRequestMessage Request(string path, bool table)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(table ? MediaTypeWithQualityHeaderValue.Parse(TableAccept) : new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }
}
