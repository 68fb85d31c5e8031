namespace Korral.Ingress.Nginx;

/// <summary>Values written into nginx.conf.</summary>
internal static class NginxText
{
    /// <summary>
    /// <paramref name="value"/> as one nginx token: bare when it holds only characters nginx's parser takes literally,
    /// otherwise double-quoted with '"' and '\' escaped (so ';', '{', '#' or spaces in an Ingress path stay in the path).
    /// </summary>
    public static string Token(string value)
    {
        if (value.Length > 0 && value.All(IsBare))
        {
            return value;
        }

        return "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>A duration in whole seconds, as nginx writes them ("240s").</summary>
    public static string Seconds(TimeSpan value) => $"{(long)Math.Ceiling(value.TotalSeconds)}s";

    private static bool IsBare(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or '~' or '%' or '!' or '*' or '+' or ',' or ':' or '=' or '@' or '&';
}
