namespace Korral.Scheduler.Framework;

/// <summary>Equality of label-like maps (null and empty are equal), without copying them.</summary>
internal static class StringMaps
{
    public static bool Equal(IDictionary<string, string>? a, IDictionary<string, string>? b)
    {
        if ((a?.Count ?? 0) != (b?.Count ?? 0))
        {
            return false;
        }

        if (a is null || b is null)
        {
            return true;
        }

        foreach (var (key, value) in a)
        {
            if (!b.TryGetValue(key, out var other) || other != value)
            {
                return false;
            }
        }

        return true;
    }
}
