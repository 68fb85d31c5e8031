namespace Korral.ApiServer.Discovery;

/// <summary>
/// Chooses the format of /api and /apis from the Accept header. kubectl decides how to decode the body from the
/// response Content-Type alone, so the answer must be honest: aggregated v2 only to clients that list it, v2beta1
/// only to clients that list it (kubectl 1.27–1.29 know no v2), legacy JSON otherwise.
/// </summary>
public static class DiscoveryNegotiation
{
    public const string JsonContentType = "application/json";

    /// <summary>Exactly what upstream sends; client-go matches g, v and as, in any order.</summary>
    public const string AggregatedV2ContentType =
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

    public const string AggregatedV2Beta1ContentType =
        "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

    public const string AggregatedGroup = "apidiscovery.k8s.io";

    public const string AggregatedKind = "APIGroupDiscoveryList";

    /// <summary>
    /// Picks the most preferred acceptable format in the client's Accept list (q values, then order). A media range
    /// with g/v/as parameters matches only the aggregated format it names exactly; <c>application/json</c> without
    /// them, <c>application/*</c> and <c>*/*</c> match legacy JSON. A missing header means legacy JSON.
    /// </summary>
    public static DiscoveryFormat Negotiate(string? accept)
    {
        foreach (var range in MediaRange.ParseAccept(accept))
        {
            var format = Match(range);
            if (format != DiscoveryFormat.NotAcceptable)
            {
                return format;
            }
        }

        return DiscoveryFormat.NotAcceptable;
    }

    /// <summary>The exact Content-Type header for a format's body.</summary>
    public static string ContentType(DiscoveryFormat format) => format switch
    {
        DiscoveryFormat.Legacy => JsonContentType,
        DiscoveryFormat.AggregatedV2 => AggregatedV2ContentType,
        DiscoveryFormat.AggregatedV2Beta1 => AggregatedV2Beta1ContentType,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "No body is sent for this format."),
    };

    /// <summary>"apidiscovery.k8s.io/v2" or "apidiscovery.k8s.io/v2beta1": the apiVersion inside an aggregated body.</summary>
    public static string AggregatedApiVersion(DiscoveryFormat format) => format switch
    {
        DiscoveryFormat.AggregatedV2 => AggregatedGroup + "/v2",
        DiscoveryFormat.AggregatedV2Beta1 => AggregatedGroup + "/v2beta1",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Not an aggregated format."),
    };

    private static DiscoveryFormat Match(MediaRange range)
    {
        if (range.Type == "*" && range.SubType == "*")
        {
            return DiscoveryFormat.Legacy;
        }

        if (range.Type != "application")
        {
            return DiscoveryFormat.NotAcceptable;
        }

        if (range.SubType == "*")
        {
            return DiscoveryFormat.Legacy;
        }

        if (range.SubType != "json")
        {
            return DiscoveryFormat.NotAcceptable;
        }

        var group = range.Parameter("g");
        var version = range.Parameter("v");
        var kind = range.Parameter("as");
        if (group is null && version is null && kind is null)
        {
            return DiscoveryFormat.Legacy;
        }

        if (group != AggregatedGroup || kind != AggregatedKind)
        {
            // Some other typed answer (a Table, a PartialObjectMetadata…): not something discovery serves.
            return DiscoveryFormat.NotAcceptable;
        }

        return version switch
        {
            "v2" => DiscoveryFormat.AggregatedV2,
            "v2beta1" => DiscoveryFormat.AggregatedV2Beta1,
            _ => DiscoveryFormat.NotAcceptable,
        };
    }
}
