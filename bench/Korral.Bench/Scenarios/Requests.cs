using System.Net;
using Korral.Bench.Cluster;
using Korral.Bench.Measurement;
using Korral.Bench.Reporting;

namespace Korral.Bench.Scenarios;

/// <summary>The measured request kinds (create, get) and how a load result becomes a table row.</summary>
public static class Requests
{
    /// <summary>Index offset of warm-up objects: same name width as measured ones, never the same name.</summary>
    public const long WarmupIndexBase = 90_000_000;

    /// <summary>POSTs <paramref name="body"/>(index) to <paramref name="path"/>; success is 201 with the body read.</summary>
    public static Operation Create(ApiClient client, string path, Func<long, byte[]> body) => async (index, cancellationToken) =>
    {
        using var response = await client.PostAsync(path, body(index), cancellationToken);
        return response.StatusCode == HttpStatusCode.Created ? null : $"POST {path}: {await ApiClient.DescribeAsync(response, cancellationToken)}";
    };

    /// <summary>GETs <paramref name="path"/>(index); success is 200 with the body read.</summary>
    public static Operation Get(ApiClient client, Func<long, string> path) => async (index, cancellationToken) =>
    {
        var url = path(index);
        using var response = await client.Http.GetAsync(url, cancellationToken);
        return response.StatusCode == HttpStatusCode.OK ? null : $"GET {url}: {await ApiClient.DescribeAsync(response, cancellationToken)}";
    };

    /// <summary>"2,345/s · p50 3.10 ms · p99 12.0 ms (5,000 in 2.1 s)".</summary>
    public static string Describe(LoadResult result, string unit = "/s") =>
        $"{Format.Rate(result.PerSecond)}{unit} · p50 {Format.Duration(result.Latencies.P50)} · p99 {Format.Duration(result.Latencies.P99)} " +
        $"({Format.Count(result.Succeeded)} in {Format.Duration(result.Elapsed)})";

    /// <summary>Adds a run's failures to the report's problems (a benchmark never hides a server error).</summary>
    public static void ReportErrors(BenchContext context, string what, LoadResult result)
    {
        if (result.Errors > 0)
        {
            context.Report.Problem($"{what}: {result.Errors} failed requests; first: `{result.FirstError}`");
        }
    }
}
