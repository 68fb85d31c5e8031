using Microsoft.AspNetCore.Http;

namespace Korral.Kubelet.Server;

/// <summary>An authenticated, authorized request matched to a route: the HTTP context, the path's values and the caller.</summary>
public sealed record KubeletRequest(HttpContext Context, IReadOnlyDictionary<string, string> Values, KubeletUser User)
{
    public CancellationToken Aborted => Context.RequestAborted;

    /// <summary>A path value of the route template, e.g. <c>Value("podNamespace")</c>.</summary>
    public string Value(string name) => Values[name];
}
