namespace Korral.Ingress.Translation;

/// <summary>A backend of an Ingress resolved against the Services and EndpointSlices.</summary>
/// <param name="Target">Proxy to <paramref name="Upstream"/>, or 503.</param>
/// <param name="Upstream">The endpoints; null when there are none.</param>
/// <param name="Problem">Why there are none (missing Service or port, no ready endpoints), null when there are.</param>
public sealed record ResolvedBackend(LocationTarget Target, NginxUpstream? Upstream, string? Problem);
