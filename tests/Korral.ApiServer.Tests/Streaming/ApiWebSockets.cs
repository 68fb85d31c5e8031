using System.Net.WebSockets;
using Korral.ApiServer.Tests.Fixtures;

namespace Korral.ApiServer.Tests.Streaming;

/// <summary>.NET's ClientWebSocket to the test API server as the admin user (for subprotocols it accepts: no '/').</summary>
public static class ApiWebSockets
{
    public static async Task<ClientWebSocket> ConnectAsync(TestServer server, string pathAndQuery, CancellationToken cancellationToken,
        params string[] protocols)
    {
        var client = new ClientWebSocket();
        client.Options.ClientCertificates.Add(server.AdminCertificate);
        client.Options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        foreach (var protocol in protocols)
        {
            client.Options.AddSubProtocol(protocol);
        }

        try
        {
            await client.ConnectAsync(new Uri($"wss://{server.Host.Url.Authority}{pathAndQuery}"), cancellationToken);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }
}
