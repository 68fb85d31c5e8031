using System.Threading.Channels;

namespace Korral.ApiServer.WatchCache;

/// <summary>
/// One watch served from a <see cref="ResourceCache"/>: a bounded buffer of events that passed its filter. A watcher
/// that does not keep up is closed rather than allowed to grow memory; its client re-watches (and re-lists on 410).
/// </summary>
public sealed class CacheWatcher
{
    private readonly Channel<CacheEvent> _events;

    internal CacheWatcher(WatchFilter filter, int capacity)
    {
        Filter = filter;
        _events = Channel.CreateBounded<CacheEvent>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public WatchFilter Filter { get; }

    public ChannelReader<CacheEvent> Events => _events.Reader;

    /// <summary>Whether the watcher was closed because it fell behind.</summary>
    public bool Lagged { get; private set; }

    /// <summary>Offers an event after filtering; returns false when the watcher had to be closed.</summary>
    internal bool Offer(CacheEvent e)
    {
        if (Filter.Classify(e) is not { } type)
        {
            return true;
        }

        var send = type == e.Type ? e : e with { Type = type };

        if (_events.Writer.TryWrite(send))
        {
            return true;
        }

        Lagged = true;
        _events.Writer.TryComplete();
        return false;
    }

    internal void Close() => _events.Writer.TryComplete();
}
