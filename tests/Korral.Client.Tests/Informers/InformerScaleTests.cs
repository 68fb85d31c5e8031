using System.Diagnostics;
using System.Net;
using System.Text;
using System.Web;
using Korral.Api.Models.CoreV1;
using Korral.Client.Informers;

namespace Korral.Client.Tests.Informers;

/// <summary>
/// An informer fed by a scripted API (no server, so the numbers measure the client): a paged list of 5,000 objects and a
/// watch stream of 30,000 events. Quadratic work anywhere (store, indices, handler queues, stream decoding) shows up as
/// minutes instead of seconds.
/// </summary>
public sealed class InformerScaleTests
{
    private const int Objects = 5_000;
    private const int Events = 30_000;

    [Fact]
    public async Task A_large_list_and_a_long_watch_stream_are_processed_in_linear_time()
    {
        using var client = new KubeClient(new KubeClientOptions { Server = new Uri("https://fake.invalid"), Handler = new FakeApi() });
        var informer = new SharedInformer<ConfigMap>(client.Resource<ConfigMap>(), new InformerOptions { PageSize = 500 });
        informer.Indexer.AddIndex(Indexers.Labels, Indexers.ByLabels);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long adds = 0, updates = 0, deletes = 0;
        informer.AddEventHandler(
            onAdd: c =>
            {
                Interlocked.Increment(ref adds);
                if (c.Metadata!.Name == "final")
                {
                    done.TrySetResult();
                }
            },
            onUpdate: (_, _) => Interlocked.Increment(ref updates),
            onDelete: _ => Interlocked.Increment(ref deletes));
        using var stop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var run = informer.RunAsync(stop.Token);

        await done.Task.WaitAsync(TimeSpan.FromSeconds(60));
        clock.Stop();

        // The stream: every event but the last modifies object i % Objects; every 10th deletes it instead and the next
        // event re-adds it; the last adds "final".
        Assert.Equal(1, informer.ListCount);
        Assert.Equal(Objects + 1, informer.Indexer.Count);
        const int deleted = (Events - 1) / 10;
        Assert.Equal(deleted, Interlocked.Read(ref deletes));
        Assert.Equal(Objects + deleted + 1, Interlocked.Read(ref adds));
        Assert.Equal(Events - 1 - (2 * deleted), Interlocked.Read(ref updates));
        Assert.Equal((Events - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), informer.LastSyncResourceVersion);
        Assert.Equal(Objects / 10, informer.Indexer.ByIndex(Indexers.Labels, "shard=3").Count);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"{Objects} objects and {Events} events took {clock.Elapsed}");

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static string Object(int i, long rv) =>
        $$$"""{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"cm-{{{i}}}","namespace":"ns-{{{i % 50}}}","resourceVersion":"{{{rv}}}","labels":{"shard":"{{{i % 10}}}"}},"data":{"k":"{{{rv}}}"}}""";

    /// <summary>Answers paged lists at resourceVersion 0 and one scripted watch from there; later watches stay open and silent.</summary>
    private sealed class FakeApi : HttpMessageHandler
    {
        private int _watches;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var query = HttpUtility.ParseQueryString(request.RequestUri!.Query);
            if (query["watch"] != "true")
            {
                var limit = int.Parse(query["limit"] ?? "0", System.Globalization.CultureInfo.InvariantCulture);
                var start = int.Parse(query["continue"] ?? "0", System.Globalization.CultureInfo.InvariantCulture);
                var end = Math.Min(Objects, start + limit);
                var items = string.Join(",", Enumerable.Range(start, end - start).Select(i => Object(i, 0)));
                var next = end < Objects ? $",\"continue\":\"{end}\"" : "";
                var json = $$"""{"kind":"ConfigMapList","apiVersion":"v1","metadata":{"resourceVersion":"0"{{next}}},"items":[{{items}}]}""";
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") });
            }

            if (Interlocked.Increment(ref _watches) > 1)
            {
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new SilentStream()) });
            }

            Assert.Equal("0", query["resourceVersion"]);
            Assert.Equal("true", query["allowWatchBookmarks"]);
            var stream = new StringBuilder();
            for (var e = 1; e < Events; e++)
            {
                var i = e % Objects;
                var type = e % 10 == 0 ? "DELETED" : (e - 1) % 10 == 0 && e > 1 ? "ADDED" : "MODIFIED";
                stream.Append("{\"type\":\"").Append(type).Append("\",\"object\":").Append(Object(type == "ADDED" ? (e - 1) % Objects : i, e)).Append("}\n");
            }

            stream.Append("{\"type\":\"ADDED\",\"object\":").Append(Object(-1, Events - 1).Replace("cm--1", "final")).Append("}\n");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new SilentStream(Encoding.UTF8.GetBytes(stream.ToString()))) });
        }
    }

    /// <summary>Returns its bytes, then waits (like an idle watch) until the read is cancelled.</summary>
    private sealed class SilentStream(byte[]? data = null) : MemoryStream(data ?? [])
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await base.ReadAsync(buffer, cancellationToken);
            if (read > 0)
            {
                return read;
            }

            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }
    }
}
