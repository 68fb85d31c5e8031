using System.Collections;

namespace Korral.Streaming.Spdy;

/// <summary>
/// The name/value block of a SYN_STREAM, SYN_REPLY or HEADERS frame. Names are lowercase (SPDY/3 requires it); a value
/// holding several values keeps them joined by NUL, as on the wire.
/// </summary>
public sealed class SpdyHeaders : IEnumerable<KeyValuePair<string, string>>
{
    private readonly List<KeyValuePair<string, string>> _entries = [];

    public int Count => _entries.Count;

    /// <summary>The value of <paramref name="name"/> (case-insensitive), or null.</summary>
    public string? this[string name]
    {
        get
        {
            foreach (var entry in _entries)
            {
                if (string.Equals(entry.Key, name, StringComparison.OrdinalIgnoreCase))
                {
                    return entry.Value;
                }
            }

            return null;
        }
    }

    /// <summary>Adds a header; its name is lowercased. A name may appear once per block.</summary>
    public SpdyHeaders Add(string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        var lower = name.ToLowerInvariant();
        if (this[lower] is not null)
        {
            throw new ArgumentException($"header {lower} is already present", nameof(name));
        }

        _entries.Add(new(lower, value));
        return this;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Join(", ", _entries.Select(e => $"{e.Key}: {e.Value}"));
}
