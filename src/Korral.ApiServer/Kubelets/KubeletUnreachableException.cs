using Korral.ApiServer.Errors;

namespace Korral.ApiServer.Kubelets;

/// <summary>
/// A kubelet could not be reached or was not trusted. Upstream passes Go's url.Error through as a Status without a
/// reason (500), so kubectl prints <c>Error from server: Get "https://…": dial tcp …: connect: connection refused</c>.
/// </summary>
public sealed class KubeletUnreachableException(string method, Uri url, string reason, Exception inner)
    : Exception($"{method} \"{url}\": {reason}", inner)
{
    /// <summary>What went wrong, as Go words it, without the request: "dial tcp 10.0.0.5:10250: connect: connection refused".</summary>
    public string Reason { get; } = reason;

    public ApiException ToApiException() => new(500, "", Message);

    /// <summary>
    /// The Status of an upgrade (exec, attach, port-forward) that could not reach the kubelet: upstream's upgrade-aware
    /// proxy dials the kubelet itself and says "error dialing backend: …", which kubectl prints after "Error from server:".
    /// </summary>
    public ApiException ToUpgradeApiException() => new(500, "", $"error dialing backend: {Reason}");
}
