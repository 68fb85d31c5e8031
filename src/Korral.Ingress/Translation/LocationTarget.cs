namespace Korral.Ingress.Translation;

/// <summary>What a location does with a request: proxy it to an upstream, or answer with a status of its own.</summary>
public sealed record LocationTarget
{
    private LocationTarget(string? upstream, int? status)
    {
        Upstream = upstream;
        Status = status;
    }

    /// <summary>The upstream requests go to; null when <see cref="Status"/> answers instead.</summary>
    public string? Upstream { get; }

    /// <summary>The status nginx answers itself (404: nothing defined here, 503: the backend has no endpoints).</summary>
    public int? Status { get; }

    public static LocationTarget Proxy(string upstream) => new(upstream, null);

    public static LocationTarget Return(int status) => new(null, status);

    /// <summary>No Ingress defines what happens here: nginx's own 404, as ingress-nginx's default backend answers.</summary>
    public static LocationTarget NotFound { get; } = new(null, 404);

    /// <summary>The backend exists in the Ingress but not as endpoints: 503, as ingress-nginx answers.</summary>
    public static LocationTarget Unavailable { get; } = new(null, 503);
}
