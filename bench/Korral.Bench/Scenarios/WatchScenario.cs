using System.Diagnostics;
using System.Net;
using Korral.Bench.Cluster;
using Korral.Bench.Measurement;
using Korral.Bench.Reporting;

namespace Korral.Bench.Scenarios;

/// <summary>
/// Watch fan-out: N concurrent watches on the ConfigMaps of one fresh namespace (from the namespace's current
/// resourceVersion), then ConfigMaps created one at a time at a steady rate, each carrying its send time. Delivery
/// latency is send → arrival at each watcher, so it includes the durable create; the create's own latency is reported
/// beside it. Watches spread over several connections (<see cref="BenchOptions.WatchesPerConnection"/> streams each
/// with HTTP/2; one connection per watch with HTTP/1.1), none shared with the creator.
/// </summary>
public static class WatchScenario
{
    private const int OpenConcurrency = 64;
    private static readonly TimeSpan DeliveryGrace = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        foreach (var watchers in context.Options.Watchers)
        {
            await RunStepAsync(context, watchers, cancellationToken);
        }
    }

    /// <summary>Creates per second and seconds: fewer events for wider fan-out, so deliveries per second stay within what the client can read.</summary>
    private static (int Rate, int Seconds) Plan(int watchers) => watchers <= 100 ? (50, 4) : (20, 5);

    private static async Task RunStepAsync(BenchContext context, int watchers, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var (rate, seconds) = Plan(watchers);
        var events = rate * seconds;
        var ns = await context.CreateNamespaceAsync($"watch{watchers}", cancellationToken);
        string resourceVersion;
        using (var list = await context.Client.GetJsonAsync($"/api/v1/namespaces/{ns}/configmaps", cancellationToken))
        {
            resourceVersion = list.RootElement.GetProperty("metadata").GetProperty("resourceVersion").GetString() ?? "";
        }

        var http2 = options.HttpVersion == HttpVersion.Version20;
        var connections = http2 ? (watchers + options.WatchesPerConnection - 1) / options.WatchesPerConnection : 1;
        var clients = Enumerable.Range(0, connections).Select(_ => new ApiClient(context.Kubeconfig, options.HttpVersion)).ToList();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var expected = (long)watchers * events;
        long delivered = 0;
        var allDelivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnEvent()
        {
            if (Interlocked.Increment(ref delivered) == expected)
            {
                allDelivered.TrySetResult();
            }
        }

        var streams = Enumerable.Range(0, watchers).Select(_ => new WatchStream(events, OnEvent)).ToArray();
        var responses = new HttpResponseMessage?[watchers];
        var readers = new Task[watchers];
        try
        {
            BenchContext.Progress($"opening {watchers} watches on {ns} ({(http2 ? $"HTTP/2, {connections} connection(s)" : "HTTP/1.1, one connection each")})");
            var openClock = Stopwatch.StartNew();
            var path = $"/api/v1/namespaces/{ns}/configmaps?watch=true&resourceVersion={resourceVersion}&allowWatchBookmarks=false&timeoutSeconds=600";
            using (var gate = new SemaphoreSlim(OpenConcurrency))
            {
                await Task.WhenAll(Enumerable.Range(0, watchers).Select(async i =>
                {
                    await gate.WaitAsync(cancellationToken);
                    try
                    {
                        var response = await clients[i % connections].Http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                        responses[i] = response;
                        if (response.StatusCode != HttpStatusCode.OK)
                        {
                            throw new HttpRequestException($"watch {i}: {await ApiClient.DescribeAsync(response, cancellationToken)}");
                        }

                        var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                        readers[i] = Task.Run(() => streams[i].ReadAsync(body, stop.Token), CancellationToken.None);
                    }
                    finally
                    {
                        gate.Release();
                    }
                }));
            }

            var opened = openClock.Elapsed;
            BenchContext.Progress($"  opened in {Format.Duration(opened)}; creating {events} ConfigMaps at {rate}/s");

            var creates = await CreateSteadilyAsync(context, ns, rate, events, cancellationToken);
            var waited = await Task.WhenAny(allDelivered.Task, Task.Delay(DeliveryGrace, cancellationToken));
            await stop.CancelAsync();
            await Task.WhenAll(readers.Where(r => r is not null));

            Describe(context, watchers, connections, http2, opened, rate, events, creates, streams, waited == allDelivered.Task);
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var response in responses)
            {
                response?.Dispose();
            }

            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    /// <summary>Creates <paramref name="events"/> ConfigMaps one after another, each due at start + i/rate.</summary>
    private static async Task<LoadResult> CreateSteadilyAsync(BenchContext context, string ns, int rate, int events, CancellationToken cancellationToken)
    {
        var path = $"/api/v1/namespaces/{ns}/configmaps";
        var samples = new List<long>(events);
        var errors = 0;
        string? firstError = null;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < events; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed, cancellationToken);
            }

            var sent = Stopwatch.GetTimestamp();
            using var response = await context.Client.PostAsync(path, Payloads.WatchedConfigMap(i, sent), cancellationToken);
            if (response.StatusCode == HttpStatusCode.Created)
            {
                samples.Add(Stopwatch.GetTimestamp() - sent);
            }
            else
            {
                errors++;
                firstError ??= await ApiClient.DescribeAsync(response, cancellationToken);
            }
        }

        return new LoadResult(1, new Latencies(samples), errors, firstError, clock.Elapsed);
    }

    private static void Describe(BenchContext context, int watchers, int connections, bool http2, TimeSpan opened, int rate, int events,
        LoadResult creates, WatchStream[] streams, bool complete)
    {
        var report = context.Report;
        var latencies = new Latencies(streams.SelectMany(s => s.Latencies));
        var expected = (long)watchers * creates.Succeeded;
        Requests.ReportErrors(context, $"creates during the {watchers}-watch test", creates);
        if (!complete || latencies.Count < expected)
        {
            var shortWatchers = streams.Count(s => s.Latencies.Count < creates.Succeeded);
            report.Problem($"{watchers} watches: {Format.Count(latencies.Count)} of {Format.Count(expected)} events delivered within {DeliveryGrace.TotalSeconds:0} s " +
                $"of the last create; {shortWatchers} watchers short" +
                (streams.FirstOrDefault(s => s.Ended is not null)?.Ended is { } ended ? $"; a stream ended: {ended}" : ""));
        }

        if (streams.FirstOrDefault(s => s.Unexpected is not null) is { } odd)
        {
            report.Problem($"{watchers} watches: {streams.Sum(s => s.UnexpectedCount)} unexpected events, first: `{odd.Unexpected}`");
        }

        BenchContext.Progress($"  delivery p50 {Format.Duration(latencies.P50)} p99 {Format.Duration(latencies.P99)} max {Format.Duration(latencies.Max)} " +
            $"({Format.Count(latencies.Count)} deliveries); create p50 {Format.Duration(creates.Latencies.P50)}");
        report.Row(new ResultRow(
            $"Watch delivery, {Format.Count(watchers)} watches ({events} creates at {rate}/s → {Format.Count(latencies.Count)} deliveries)",
            $"p50 {Format.Duration(latencies.P50)} · p99 {Format.Duration(latencies.P99)} · max {Format.Duration(latencies.Max)}",
            "p99 < 50 ms", Targets.AtMost(latencies.P99, Targets.WatchP99)));
        var transport = http2 ? $"{connections} HTTP/2 connection{(connections == 1 ? "" : "s")}" : $"{Format.Count(watchers)} HTTP/1.1 connections";
        report.Row(new ResultRow("  its creates (send → 201); time to open the watches",
            $"p50 {Format.Duration(creates.Latencies.P50)} · p99 {Format.Duration(creates.Latencies.P99)}; {Format.Duration(opened)} over {transport}"));
    }
}
