namespace Korral.Storage.Contract;

public static class KeyRange
{
    /// <summary>The smallest key greater than every key starting with <paramref name="prefix"/> (etcd's prefix end).</summary>
    public static string PrefixEnd(string prefix)
    {
        // Keys are ordinal strings; bumping the last char gives the exclusive end of the prefix range.
        if (prefix.Length == 0)
        {
            return "\uffff";
        }

        var chars = prefix.ToCharArray();
        chars[^1]++;
        return new string(chars);
    }
}
