using Microsoft.Extensions.Primitives;

namespace Korral.Kubelet.Images.Mirror;

/// <summary>One HTTP byte range ("bytes=0-99", "bytes=100-", "bytes=-50") over content of a known length.</summary>
internal static class ByteRange
{
    /// <summary>
    /// False when there is no usable Range header (absent, malformed or several ranges: the whole content is sent).
    /// True with a null range when it cannot be satisfied (416), else the start and count to send (206).
    /// </summary>
    public static bool TryParse(StringValues header, long length, out (long Start, long Count)? range)
    {
        range = null;
        if (header.Count != 1 || header[0] is not { } value || !value.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase) ||
            value.Contains(',', StringComparison.Ordinal))
        {
            return false;
        }

        var spec = value["bytes=".Length..].Trim();
        var dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return false;
        }

        var first = spec[..dash];
        var last = spec[(dash + 1)..];
        if (first.Length == 0)
        {
            // A suffix: the last N bytes.
            if (!long.TryParse(last, out var suffix) || suffix <= 0)
            {
                return suffix == 0 && long.TryParse(last, out _);
            }

            var take = Math.Min(suffix, length);
            range = length == 0 ? null : (length - take, take);
            return true;
        }

        if (!long.TryParse(first, out var start) || start < 0)
        {
            return false;
        }

        long end = length - 1;
        if (last.Length > 0 && (!long.TryParse(last, out end) || end < start))
        {
            return false;
        }

        if (start >= length)
        {
            return true;
        }

        range = (start, Math.Min(end, length - 1) - start + 1);
        return true;
    }
}
