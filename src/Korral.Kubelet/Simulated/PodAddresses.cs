namespace Korral.Kubelet.Simulated;

/// <summary>
/// Pod IPs of one simulated node: hosts .2 to .254 of its /24 (.1 is the bridge, as with the CNI bridge plugin), the lowest
/// free one first. Thread-safe. Pods that already have an IP (after a restart) are reserved with <see cref="Reserve"/>.
/// </summary>
public sealed class PodAddresses(string cidrPrefix)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _byPod = new(StringComparer.Ordinal);
    private readonly SortedSet<int> _free = new(Enumerable.Range(2, 253));

    /// <summary>The IP of <paramref name="podUid"/>, allocating one if it has none; null when the node is full.</summary>
    public string? Allocate(string podUid)
    {
        lock (_lock)
        {
            if (_byPod.TryGetValue(podUid, out var host))
            {
                return $"{cidrPrefix}.{host}";
            }

            if (_free.Count == 0)
            {
                return null;
            }

            host = _free.Min;
            _free.Remove(host);
            _byPod[podUid] = host;
            return $"{cidrPrefix}.{host}";
        }
    }

    /// <summary>Records that <paramref name="podUid"/> holds <paramref name="ip"/> (when it is in this node's range).</summary>
    public void Reserve(string podUid, string ip)
    {
        if (!ip.StartsWith(cidrPrefix + ".", StringComparison.Ordinal) || !int.TryParse(ip.AsSpan(cidrPrefix.Length + 1), out var host))
        {
            return;
        }

        lock (_lock)
        {
            if (!_byPod.ContainsKey(podUid) && _free.Remove(host))
            {
                _byPod[podUid] = host;
            }
        }
    }

    public void Release(string podUid)
    {
        lock (_lock)
        {
            if (_byPod.Remove(podUid, out var host))
            {
                _free.Add(host);
            }
        }
    }
}
