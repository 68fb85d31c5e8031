using System.Text;
using Korral.ApiServer.Kubelets;

namespace Korral.ApiServer.Tests.PodLog;

/// <summary>
/// The raw TLS connection exec, attach and port-forward will upgrade: it presents the client certificate and verifies
/// the kubelet like the log requests do.
/// </summary>
public sealed class KubeletClientTests(PodLogFixture fixture) : IClassFixture<PodLogFixture>
{
    private KubeletClient NewClient() =>
        new(fixture.Authority.IssueClient(KubeletClientOptions.ClientUser, [KubeletClientOptions.ClientGroup], DateTimeOffset.UtcNow),
            fixture.Authority.Authority, new KubeletClientOptions());

    [Fact]
    public async Task A_raw_connection_is_authenticated_and_carries_a_hand_written_request()
    {
        using var client = NewClient();
        await using var tls = await client.ConnectAsync(new KubeletEndpoint("127.0.0.1", fixture.Kubelet.Port), false, CancellationToken.None);
        await tls.WriteAsync("GET /raw HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"u8.ToArray());
        var response = await new StreamReader(tls, Encoding.ASCII).ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.StartsWith("HTTP/1.1 200 OK\r\n", response, StringComparison.Ordinal);
        Assert.Contains(fixture.Kubelet.Requests, r => r.PathAndQuery == "/raw" && r.ClientSubject == "O=system:masters, CN=kube-apiserver-kubelet-client");
    }

    [Fact]
    public async Task A_raw_connection_to_an_untrusted_kubelet_fails_unless_verification_is_skipped()
    {
        using var client = NewClient();
        var endpoint = new KubeletEndpoint("127.0.0.1", fixture.Untrusted.Port);
        var error = await Assert.ThrowsAsync<KubeletUnreachableException>(() => client.ConnectAsync(endpoint, false, CancellationToken.None));
        Assert.Equal($"Get \"https://127.0.0.1:{fixture.Untrusted.Port}/\": tls: failed to verify certificate: x509: certificate signed by unknown authority",
            error.Message);

        await using var tls = await client.ConnectAsync(endpoint, true, CancellationToken.None);
        Assert.True(tls.IsAuthenticated);
    }
}
