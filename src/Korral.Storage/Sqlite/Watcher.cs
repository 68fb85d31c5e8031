using System.Threading.Channels;
using Korral.Storage.Contract;

namespace Korral.Storage.Sqlite;

/// <summary>
/// One live watch: the writer thread pushes matching events into a bounded buffer without ever waiting; when the buffer
/// is full the watcher is completed with <see cref="WatchLaggedException"/> after the events already buffered.
/// </summary>
internal sealed class Watcher(KeySpan span, long minRevision, int capacity)
{
    public KeySpan Span { get; } = span;

    /// <summary>Events below this revision reached the consumer from catch-up, not from this buffer.</summary>
    public long MinRevision { get; } = minRevision;

    public Channel<WatchEvent> Buffer { get; } = Channel.CreateBounded<WatchEvent>(
        new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Writer thread only: the revision of the last event buffered.</summary>
    public long LastQueued { get; set; } = minRevision - 1;

    /// <summary>Writer thread only: set once the watcher has been cut off.</summary>
    public bool Closed { get; set; }

    /// <summary>Buffers <paramref name="e"/>; false (and the watcher is completed as lagged) when the buffer is full.</summary>
    public bool Offer(WatchEvent e)
    {
        if (Buffer.Writer.TryWrite(e))
        {
            LastQueued = e.Revision;
            return true;
        }

        Closed = true;
        Buffer.Writer.TryComplete(new WatchLaggedException(LastQueued));
        return false;
    }
}
