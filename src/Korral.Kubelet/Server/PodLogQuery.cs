using System.Globalization;
using System.Text;
using Korral.Kubelet.Logs;
using Microsoft.AspNetCore.Http;

namespace Korral.Kubelet.Server;

/// <summary>
/// The v1 PodLogOptions of a /containerLogs query, decoded with upstream's query conversions: a flag is true unless its
/// first value is "0", "f" or "false" (any case); a number or time that is empty counts as absent.
/// </summary>
internal sealed record PodLogQuery
{
    public bool Follow { get; init; }

    public bool Previous { get; init; }

    public bool Timestamps { get; init; }

    public long? TailLines { get; init; }

    public long? LimitBytes { get; init; }

    public long? SinceSeconds { get; init; }

    public DateTimeOffset? SinceTime { get; init; }

    /// <summary>Decodes the query; null when a value does not convert (upstream answers 400 "Unable to decode query.").</summary>
    public static PodLogQuery? Decode(IQueryCollection query)
    {
        // The old "tail" parameter still works and wins; tail=all is the same as no tail.
        var tailLines = query["tail"].FirstOrDefault() is { Length: > 0 } tail
            ? (tail == "all" ? null : tail)
            : query["tailLines"].FirstOrDefault();
        if (!TryInt(tailLines, out var tailValue) || !TryInt(query["limitBytes"].FirstOrDefault(), out var limitBytes) ||
            !TryInt(query["sinceSeconds"].FirstOrDefault(), out var sinceSeconds) || !TryTime(query["sinceTime"].FirstOrDefault(), out var sinceTime))
        {
            return null;
        }

        return new PodLogQuery
        {
            Follow = Flag(query, "follow"),
            Previous = Flag(query, "previous"),
            Timestamps = Flag(query, "timestamps"),
            TailLines = tailValue,
            LimitBytes = limitBytes,
            SinceSeconds = sinceSeconds,
            SinceTime = sinceTime,
        };
    }

    /// <summary>Upstream's ValidatePodLogOptions (the kubelet answers 422 "Invalid request." when it fails).</summary>
    public bool IsValid() =>
        TailLines is null or >= 0 && LimitBytes is null or >= 1 && !(SinceSeconds is not null && SinceTime is not null) && SinceSeconds is null or >= 1;

    public ContainerLogOptions ToOptions(DateTimeOffset now) => new()
    {
        TailLines = TailLines,
        LimitBytes = LimitBytes,
        Since = ContainerLogOptions.SinceFrom(SinceSeconds, SinceTime, now),
        Timestamps = Timestamps,
        Follow = Follow,
    };

    private static bool Flag(IQueryCollection query, string name)
    {
        if (!query.TryGetValue(name, out var values) || values.Count == 0)
        {
            return false;
        }

        var first = values[0] ?? "";
        return !(first == "0" || first.Equals("f", StringComparison.OrdinalIgnoreCase) || first.Equals("false", StringComparison.OrdinalIgnoreCase));
    }

    private static bool TryInt(string? text, out long? value)
    {
        value = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            value = parsed;
            return true;
        }

        return false;
    }

    private static bool TryTime(string? text, out DateTimeOffset? value)
    {
        value = null;
        if (string.IsNullOrEmpty(text) || text == "null")
        {
            return true;
        }

        if (Rfc3339.TryParse(Encoding.ASCII.GetBytes(text), out var parsed, out _))
        {
            value = parsed;
            return true;
        }

        return false;
    }
}
