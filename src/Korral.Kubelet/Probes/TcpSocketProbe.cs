using System.Net.Sockets;
using Korral.Api.Models.CoreV1;

namespace Korral.Kubelet.Probes;

/// <summary>
/// A tcpSocket probe as upstream's: it succeeds when a TCP connection to host:port (host defaults to the pod IP) opens
/// within timeoutSeconds, and closes it at once; otherwise it fails with Go's dial error.
/// </summary>
internal static class TcpSocketProbe
{
    public static async Task<ProbeOutcome> RunAsync(TCPSocketAction tcp, Container container, string? podIp, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var (port, portError) = ProbePort.Resolve(tcp.Port, container);
        if (portError is not null)
        {
            return ProbeOutcome.Errored(portError);
        }

        var host = string.IsNullOrEmpty(tcp.Host) ? podIp ?? "127.0.0.1" : tcp.Host;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(host, port, deadline.Token);
            return ProbeOutcome.Passed();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeOutcome.Failed(GoText.DialTimeout(host, port));
        }
        catch (SocketException e)
        {
            return ProbeOutcome.Failed(GoText.Dial(e, host, port));
        }
    }
}
