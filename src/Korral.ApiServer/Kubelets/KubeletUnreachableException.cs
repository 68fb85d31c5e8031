using Korral.ApiServer.Errors;

namespace Korral.ApiServer.Kubelets;

/// <summary>
/// A kubelet could not be reached or was not trusted. Upstream passes Go's url.Error through as a Status without a
/// reason (500), so kubectl prints <c>Error from server: Get "https://…": dial tcp …: connect: connection refused</c>.
/// </summary>
public sealed class KubeletUnreachableException(string method, Uri url, string reason, Exception inner)
    : Exception($"{method} \"{url}\": {reason}", inner)
{
    public ApiException ToApiException() => new(500, "", Message);
}
