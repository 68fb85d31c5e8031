namespace Korral.Streaming.Http;

/// <summary>
/// An HTTP/1.1 request that asks the next hop to switch protocols (SPDY/3.1 or WebSocket), written by hand on a raw
/// connection because the upgraded stream has to stay in our hands afterwards.
/// </summary>
/// <param name="Method">GET (WebSocket) or POST (SPDY).</param>
/// <param name="PathAndQuery">The request target, already escaped.</param>
/// <param name="Host">The Host header.</param>
/// <param name="Headers">Further headers in order; a name may repeat (X-Stream-Protocol-Version does).</param>
public sealed record UpgradeRequest(string Method, string PathAndQuery, string Host, IReadOnlyList<KeyValuePair<string, string>> Headers);
