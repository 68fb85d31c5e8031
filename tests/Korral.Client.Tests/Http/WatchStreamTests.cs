using System.Text;
using Korral.Api.Models.CoreV1;

namespace Korral.Client.Tests.Http;

/// <summary>Decoding JSON watch streams, whatever the chunking, field order and event size.</summary>
public sealed class WatchStreamTests
{
    [Fact]
    public async Task Events_split_across_reads_in_any_chunking_are_decoded_in_order()
    {
        var text = string.Join("\n",
            Line("ADDED", "a", "1"),
            Line("MODIFIED", "a", "2"),
            """{"type":"BOOKMARK","object":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"resourceVersion":"9"}}}""",
            Line("DELETED", "a", "3")) + "\n";

        foreach (var chunk in new[] { 1, 3, 7, 64, 100_000 })
        {
            var events = await ReadAll(new ChunkedStream(Encoding.UTF8.GetBytes(text), chunk));

            Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Bookmark, WatchEventType.Deleted], events.Select(e => e.Type));
            Assert.Equal(["1", "2", "9", "3"], events.Select(e => e.Object.Metadata?.ResourceVersion));
        }
    }

    [Fact]
    public async Task An_object_before_its_type_and_a_last_line_without_newline_are_accepted()
    {
        var text = """{"object":{"metadata":{"name":"a","resourceVersion":"5"}},"type":"ADDED"}""" + "\n\n" + Line("MODIFIED", "a", "6");

        var events = await ReadAll(new MemoryStream(Encoding.UTF8.GetBytes(text)));

        Assert.Equal(["5", "6"], events.Select(e => e.Object.Metadata?.ResourceVersion));
    }

    [Fact]
    public async Task An_error_event_throws_its_status()
    {
        var text = Line("ADDED", "a", "1") + "\n" +
            """{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version: 1 (5)","reason":"Expired","code":410}}""" + "\n";
        var seen = new List<WatchEvent<ConfigMap>>();

        var e = await Assert.ThrowsAsync<KubeApiException>(async () =>
        {
            await foreach (var ev in WatchStreamReader.ReadAsync<ConfigMap>(new MemoryStream(Encoding.UTF8.GetBytes(text)), CancellationToken.None))
            {
                seen.Add(ev);
            }
        });

        Assert.Single(seen);
        Assert.True(e.IsGone);
        Assert.Equal("too old resource version: 1 (5)", e.Status.Message);
    }

    [Fact]
    public async Task Events_larger_than_the_first_buffer_are_decoded()
    {
        var big = new string('x', 300_000);
        var text = "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"big\",\"resourceVersion\":\"1\"},\"data\":{\"k\":\"" + big + "\"}}}\n" + Line("ADDED", "small", "2") + "\n";

        var events = await ReadAll(new ChunkedStream(Encoding.UTF8.GetBytes(text), 8192));

        Assert.Equal(big, events[0].Object.Data!["k"]);
        Assert.Equal("small", events[1].Object.Metadata?.Name);
    }

    private static string Line(string type, string name, string rv) =>
        $$"""{"type":"{{type}}","object":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"{{name}}","namespace":"n","resourceVersion":"{{rv}}" """ + "}}}";

    private static async Task<List<WatchEvent<ConfigMap>>> ReadAll(Stream stream)
    {
        var events = new List<WatchEvent<ConfigMap>>();
        await foreach (var e in WatchStreamReader.ReadAsync<ConfigMap>(stream, CancellationToken.None))
        {
            events.Add(e);
        }

        return events;
    }

    /// <summary>A stream that returns at most <paramref name="chunk"/> bytes per read, as a network does.</summary>
    private sealed class ChunkedStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
