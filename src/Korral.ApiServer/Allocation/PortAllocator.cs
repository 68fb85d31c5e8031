namespace Korral.ApiServer.Allocation;

/// <summary>Hands out node ports from a range (30000-32767 by default) without duplicates; rebuilt from Services at start.</summary>
public sealed class PortAllocator
{
    private readonly object _gate = new();
    private readonly HashSet<int> _used = [];
    private int _next;

    public PortAllocator(int first, int last)
    {
        if (first < 1 || last > 65535 || first > last)
        {
            throw new ArgumentException($"invalid node port range {first}-{last}");
        }

        First = first;
        Last = last;
    }

    public int First { get; }

    public int Last { get; }

    public string Range => $"{First}-{Last}";

    public bool Contains(int port) => port >= First && port <= Last;

    public bool TryReserve(int port)
    {
        if (!Contains(port))
        {
            return false;
        }

        lock (_gate)
        {
            return _used.Add(port);
        }
    }

    public int? Allocate()
    {
        lock (_gate)
        {
            var size = Last - First + 1;
            for (var i = 0; i < size; i++)
            {
                var candidate = First + ((_next + i) % size);
                if (_used.Add(candidate))
                {
                    _next = (_next + i + 1) % size;
                    return candidate;
                }
            }

            return null;
        }
    }

    public void Release(int port)
    {
        lock (_gate)
        {
            _used.Remove(port);
        }
    }
}
