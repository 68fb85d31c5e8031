using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Korral.E2E.Nodes;

/// <summary>
/// Talking to a pod from the host over the node's pod bridge, as `curl &lt;pod IP&gt;` would: the pod IP is routed through
/// the bridge on this machine. A container is Running before its server listens, so each call retries a refused
/// connection until its limit.
/// </summary>
public static class PodNetwork
{
    /// <summary>The User-Agent of <see cref="HttpGetAsync"/>, for finding its requests in a server's access log.</summary>
    public const string UserAgent = "korral-e2e";

    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    /// <summary>GET http://ip:port/pathAndQuery; returns the body of a 200 answer (no proxy from the environment).</summary>
    public static async Task<string> HttpGetAsync(string ip, int port, string pathAndQuery)
    {
        var ok = await Eventually.WaitAsync(
            async cancellationToken =>
            {
                using var handler = new SocketsHttpHandler { UseProxy = false };
                using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
                client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
                using var response = await client.GetAsync(new Uri($"http://{ip}:{port}{pathAndQuery}"), cancellationToken);
                return (response.StatusCode, Body: await response.Content.ReadAsStringAsync(cancellationToken));
            },
            answer => answer.StatusCode == HttpStatusCode.OK,
            $"HTTP 200 from {ip}:{port}{pathAndQuery}",
            Limit,
            answer => $"{(int)answer.StatusCode} {answer.Body}");
        return ok.Body;
    }

    /// <summary>Sends <paramref name="request"/> over TCP and returns the first line of the answer (without CR LF).</summary>
    public static Task<string> TcpLineAsync(string ip, int port, string request) =>
        Eventually.WaitAsync(
            async cancellationToken =>
            {
                using var client = new TcpClient();
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(TimeSpan.FromSeconds(5));
                await client.ConnectAsync(IPAddress.Parse(ip), port, attempt.Token);
                var stream = client.GetStream();
                await stream.WriteAsync(Encoding.ASCII.GetBytes(request), attempt.Token);
                using var reader = new StreamReader(stream, Encoding.ASCII);
                return await reader.ReadLineAsync(attempt.Token) ?? "";
            },
            line => line.Length > 0,
            $"an answer on {ip}:{port}",
            Limit);
}
