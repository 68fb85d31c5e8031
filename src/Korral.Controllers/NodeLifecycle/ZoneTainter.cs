namespace Korral.Controllers.NodeLifecycle;

/// <summary>
/// The nodes of one zone waiting for a NoExecute taint, handed out at most at the zone's rate (upstream's
/// RateLimitedTimedQueue over a token bucket of burst 1). A node stays a member after it was handed out, so that it is
/// not tainted twice, until <see cref="Remove"/> (it became Ready, or its taint went missing). Not thread-safe: the
/// controller calls it under its lock.
/// </summary>
public sealed class ZoneTainter
{
    private readonly List<(string Node, DateTimeOffset ProcessAt)> _queue = [];
    private readonly HashSet<string> _members = new(StringComparer.Ordinal);
    private double _tokens;
    private DateTimeOffset _refilled;

    public ZoneTainter(double qps, DateTimeOffset now)
    {
        Qps = qps;
        _tokens = qps > 0 ? 1 : 0;
        _refilled = now;
    }

    /// <summary>Nodes per second; zero hands out nothing.</summary>
    public double Qps { get; private set; }

    /// <summary>Nodes waiting to be handed out.</summary>
    public int Waiting => _queue.Count;

    public bool Contains(string node) => _members.Contains(node);

    /// <summary>Queues <paramref name="node"/> unless it is already a member; true when added.</summary>
    public bool Add(string node, DateTimeOffset now)
    {
        if (!_members.Add(node))
        {
            return false;
        }

        Insert(node, now);
        return true;
    }

    /// <summary>Forgets <paramref name="node"/> (waiting or handed out); true when it was a member.</summary>
    public bool Remove(string node)
    {
        _queue.RemoveAll(e => e.Node == node);
        return _members.Remove(node);
    }

    /// <summary>
    /// Queues a member again after an attempt that did not taint it, to be handed out no earlier than
    /// <paramref name="at"/>; <paramref name="refund"/> gives its token back (nothing was written).
    /// </summary>
    public void Retry(string node, DateTimeOffset at, bool refund)
    {
        if (refund)
        {
            _tokens = Math.Min(1, _tokens + 1);
        }

        if (_members.Contains(node) && _queue.All(e => e.Node != node))
        {
            Insert(node, at);
        }
    }

    /// <summary>The next node that is due, if a token is free (taking it); null otherwise.</summary>
    public string? TryTake(DateTimeOffset now)
    {
        if (_queue.Count == 0 || _queue[0].ProcessAt > now)
        {
            return null;
        }

        Refill(now);
        if (_tokens < 1)
        {
            return null;
        }

        _tokens -= 1;
        var node = _queue[0].Node;
        _queue.RemoveAt(0);
        return node;
    }

    /// <summary>When <see cref="TryTake"/> can next hand out a node; null when nothing waits or the rate is zero.</summary>
    public DateTimeOffset? NextDue(DateTimeOffset now)
    {
        if (_queue.Count == 0 || Qps <= 0)
        {
            return null;
        }

        Refill(now);
        var tokenAt = _tokens >= 1 ? now : now + TimeSpan.FromSeconds((1 - _tokens) / Qps);
        return tokenAt > _queue[0].ProcessAt ? tokenAt : _queue[0].ProcessAt;
    }

    /// <summary>
    /// Changes the rate. As upstream, the new bucket starts full unless the old one was empty (a zone that was just
    /// throttled stays throttled for one period of the new rate).
    /// </summary>
    public void SwapLimiter(double qps, DateTimeOffset now)
    {
        if (qps == Qps)
        {
            return;
        }

        Refill(now);
        var hadToken = _tokens >= 1;
        Qps = qps;
        _tokens = qps > 0 && hadToken ? 1 : 0;
        _refilled = now;
    }

    private void Refill(DateTimeOffset now)
    {
        if (Qps > 0 && now > _refilled)
        {
            _tokens = Math.Min(1, _tokens + ((now - _refilled).TotalSeconds * Qps));
        }

        _refilled = now > _refilled ? now : _refilled;
    }

    private void Insert(string node, DateTimeOffset at)
    {
        var i = _queue.FindIndex(e => e.ProcessAt > at);
        _queue.Insert(i < 0 ? _queue.Count : i, (node, at));
    }
}
