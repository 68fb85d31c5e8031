using System.Globalization;
using System.Text;
using Korral.Api.Resources;
using Korral.ApiServer.Errors;
using Microsoft.AspNetCore.Http;

namespace Korral.ApiServer.Kubelets;

/// <summary>
/// The v1 PodLogOptions of a pods/log request, decoded from the query with upstream's conversions (a flag is true unless
/// its first value is "0", "f" or "false"; an empty number or time is absent), validated as upstream's
/// ValidatePodLogOptions, and re-encoded for the kubelet's /containerLogs query.
/// </summary>
public sealed record PodLogOptions
{
    public string Container { get; init; } = "";

    public bool Follow { get; init; }

    public bool Previous { get; init; }

    public bool Timestamps { get; init; }

    public long? TailLines { get; init; }

    public long? LimitBytes { get; init; }

    public long? SinceSeconds { get; init; }

    public DateTimeOffset? SinceTime { get; init; }

    /// <summary>Connect to the kubelet without checking its serving certificate.</summary>
    public bool InsecureSkipTlsVerifyBackend { get; init; }

    /// <summary>Decodes the query; a value that does not convert is a 400 with Go's parse error, as upstream answers.</summary>
    public static PodLogOptions Decode(IQueryCollection query) => new()
    {
        Container = query["container"].FirstOrDefault() ?? "",
        Follow = GoQuery.Flag(query, "follow"),
        Previous = GoQuery.Flag(query, "previous"),
        Timestamps = GoQuery.Flag(query, "timestamps"),
        InsecureSkipTlsVerifyBackend = GoQuery.Flag(query, "insecureSkipTLSVerifyBackend"),
        TailLines = Int(query, "tailLines"),
        LimitBytes = Int(query, "limitBytes"),
        SinceSeconds = Int(query, "sinceSeconds"),
        SinceTime = Time(query, "sinceTime"),
    };

    /// <summary>Upstream's ValidatePodLogOptions: a 422 naming every bad field.</summary>
    public void Validate(ResourceInfo pods, string name)
    {
        var errors = new List<StatusCause>();
        if (TailLines is < 0)
        {
            errors.Add(new StatusCause("FieldValueInvalid", $"Invalid value: {TailLines}: must be greater than or equal to 0", "tailLines"));
        }

        if (LimitBytes is < 1)
        {
            errors.Add(new StatusCause("FieldValueInvalid", $"Invalid value: {LimitBytes}: must be greater than 0", "limitBytes"));
        }

        if (SinceSeconds is not null && SinceTime is not null)
        {
            errors.Add(new StatusCause("FieldValueForbidden", "Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified", ""));
        }
        else if (SinceSeconds is < 1)
        {
            errors.Add(new StatusCause("FieldValueInvalid", $"Invalid value: {SinceSeconds}: must be greater than 0", "sinceSeconds"));
        }

        if (errors.Count > 0)
        {
            var rendered = errors.Select(e => $"{e.Field}: {e.Message}").ToList();
            var message = rendered.Count == 1 ? rendered[0] : $"[{string.Join(", ", rendered)}]";
            throw ApiErrors.Invalid(pods with { Kind = "PodLogOptions" }, name, message, errors);
        }
    }

    /// <summary>The kubelet's query: only the options set, keys sorted and values escaped as Go's url.Values.Encode does.</summary>
    public string KubeletQuery()
    {
        var pairs = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (Follow)
        {
            pairs["follow"] = "true";
        }

        if (Previous)
        {
            pairs["previous"] = "true";
        }

        if (Timestamps)
        {
            pairs["timestamps"] = "true";
        }

        if (SinceSeconds is { } sinceSeconds)
        {
            pairs["sinceSeconds"] = sinceSeconds.ToString(CultureInfo.InvariantCulture);
        }

        if (SinceTime is { } sinceTime)
        {
            // time.RFC3339: whole seconds, Z for UTC.
            pairs["sinceTime"] = sinceTime.Offset == TimeSpan.Zero
                ? sinceTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
                : sinceTime.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        }

        if (TailLines is { } tailLines)
        {
            pairs["tailLines"] = tailLines.ToString(CultureInfo.InvariantCulture);
        }

        if (LimitBytes is { } limitBytes)
        {
            pairs["limitBytes"] = limitBytes.ToString(CultureInfo.InvariantCulture);
        }

        var query = new StringBuilder();
        foreach (var (key, value) in pairs)
        {
            query.Append(query.Length == 0 ? "" : "&").Append(key).Append('=').Append(Uri.EscapeDataString(value));
        }

        return query.ToString();
    }

    private static long? Int(IQueryCollection query, string name)
    {
        var text = query[name].FirstOrDefault();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw ApiErrors.BadRequest($"strconv.ParseInt: parsing {GoQuery.Quote(text)}: invalid syntax");
    }

    private static DateTimeOffset? Time(IQueryCollection query, string name)
    {
        var text = query[name].FirstOrDefault();
        if (string.IsNullOrEmpty(text) || text == "null")
        {
            return null;
        }

        return DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"], CultureInfo.InvariantCulture,
            DateTimeStyles.None, out var value) && (text.EndsWith('Z') || text.EndsWith('z') || text[^6] is '+' or '-')
            ? value
            : throw ApiErrors.BadRequest($"parsing time {GoQuery.Quote(text)} as \"2006-01-02T15:04:05Z07:00\": cannot parse {GoQuery.Quote(text)} as \"2006\"");
    }
}
