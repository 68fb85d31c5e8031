using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Cri;

namespace Korral.Kubelet.Probes;

/// <summary>
/// The real probe handlers, each with upstream's semantics and wording: exec through the runtime's ExecSync
/// (<see cref="ExecProbe"/>), httpGet (<see cref="HttpGetProbe"/>), tcpSocket (<see cref="TcpSocketProbe"/>) and grpc
/// (<see cref="GrpcProbe"/>), every one within the probe's timeoutSeconds.
/// </summary>
public sealed class Prober(IRuntimeService runtime, HttpClient http) : IProber
{
    /// <summary>Upstream sends "kube-probe/&lt;major&gt;.&lt;minor&gt;" of the kubelet's version (httpGet and grpc probes).</summary>
    public const string UserAgent = "kube-probe/1.33";

    private readonly ExecProbe _exec = new(runtime);
    private readonly HttpGetProbe _httpGet = new(http);

    /// <summary>An HTTP client fit for httpGet probes: no certificate checks, no proxy, no connection reuse, redirects left to the probe.</summary>
    public static HttpClient CreateHttpClient() => HttpGetProbe.CreateClient();

    public Task<ProbeOutcome> RunAsync(Probe probe, Container container, string containerId, string? podIp, CancellationToken cancellationToken)
    {
        var timeout = ProbeSettings.Of(probe).Timeout;
        if (probe.Exec is { } exec)
        {
            return _exec.RunAsync(exec, container, containerId, timeout, cancellationToken);
        }

        if (probe.HttpGet is { } get)
        {
            return _httpGet.RunAsync(get, container, podIp, timeout, cancellationToken);
        }

        if (probe.TcpSocket is { } tcp)
        {
            return TcpSocketProbe.RunAsync(tcp, container, podIp, timeout, cancellationToken);
        }

        if (probe.Grpc is { } grpc)
        {
            return GrpcProbe.RunAsync(grpc, podIp, timeout, cancellationToken);
        }

        return Task.FromResult(ProbeOutcome.Errored($"missing probe handler for {container.Name}"));
    }
}
