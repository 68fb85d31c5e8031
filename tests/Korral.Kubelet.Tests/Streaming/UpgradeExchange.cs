using System.Net.Sockets;
using System.Text;
using Korral.Streaming.Http;

namespace Korral.Kubelet.Tests.Streaming;

/// <summary>An upgrade request's answer and the connection it came on; disposing closes both.</summary>
public sealed class UpgradeExchange(UpgradeResponse response, TcpClient connection) : IAsyncDisposable
{
    public UpgradeResponse Response => response;

    public int StatusCode => response.StatusCode;

    /// <summary>A refusal's body as text.</summary>
    public string Body => Encoding.UTF8.GetString(response.Body);

    public async ValueTask DisposeAsync()
    {
        await response.DisposeAsync();
        connection.Dispose();
    }
}
