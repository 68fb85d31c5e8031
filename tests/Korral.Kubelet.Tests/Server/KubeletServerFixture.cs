using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Korral.ApiServer.Security;
using Korral.Kubelet.Logs;
using Korral.Kubelet.Server;
using Korral.Kubelet.Tests.Logs;

namespace Korral.Kubelet.Tests.Server;

/// <summary>
/// A kubelet server on 127.0.0.1 (port picked by the server) with a serving certificate from a fresh cluster CA and a
/// fake log source; clients present certificates from that CA, from a foreign one, or none.
/// </summary>
public sealed class KubeletServerFixture : IAsyncLifetime
{
    private readonly List<HttpClient> _clients = [];

    public TempDir Dir { get; } = new();

    public ClusterCertificates Authority { get; private set; } = null!;

    public KubeletServer Server { get; private set; } = null!;

    public FakeLogSource Logs { get; } = new();

    public List<string> ServerLog { get; } = [];

    public async Task InitializeAsync()
    {
        var now = DateTimeOffset.UtcNow;
        Authority = ClusterCertificates.LoadOrCreate(Path.Combine(Dir.Path, "ca"), now).Certificates;
        var serving = Authority.IssueServing("kubelet", ["localhost"], [IPAddress.Loopback], now);
        Server = await KubeletServer.StartAsync(new KubeletServerOptions
        {
            BindAddress = IPAddress.Loopback,
            Port = 0,
            ServingCertificate = serving,
            ClientCertificateAuthority = Authority.Authority,
            Follow = new ContainerLogFollowSettings { PollInterval = TimeSpan.FromMilliseconds(10), StateCheckPeriod = TimeSpan.Zero },
            Log = line =>
            {
                lock (ServerLog)
                {
                    ServerLog.Add(line);
                }
            },
        }, Logs, CancellationToken.None);
    }

    public X509Certificate2 Client(string user, params string[] groups) => Authority.IssueClient(user, groups, DateTimeOffset.UtcNow);

    /// <summary>A certificate with the right names from a CA the kubelet does not trust.</summary>
    public X509Certificate2 ForeignClient(string user, params string[] groups) =>
        ClusterCertificates.LoadOrCreate(Path.Combine(Dir.Path, "foreign-ca"), DateTimeOffset.UtcNow).Certificates.IssueClient(user, groups, DateTimeOffset.UtcNow);

    /// <summary>An HTTPS client trusting the cluster CA and presenting <paramref name="certificate"/> (none: no certificate).</summary>
    public HttpClient Http(X509Certificate2? certificate)
    {
        var authority = Authority.Authority;
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, serving, _, errors) =>
                    serving is X509Certificate2 cert && ChainsTo(cert, authority) && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0,
                LocalCertificateSelectionCallback = certificate is null ? null : (_, _, _, _, _) => certificate,
                ClientCertificates = certificate is null ? null : new X509CertificateCollection { certificate },
            },
        };
        var client = new HttpClient(handler) { BaseAddress = Server.Url, Timeout = TimeSpan.FromSeconds(30) };
        lock (_clients)
        {
            _clients.Add(client);
        }

        return client;
    }

    private static bool ChainsTo(X509Certificate2 serving, X509Certificate2 authority)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(serving);
    }

    public async Task DisposeAsync()
    {
        lock (_clients)
        {
            foreach (var c in _clients)
            {
                c.Dispose();
            }
        }

        await Server.DisposeAsync();
        Dir.Dispose();
    }
}
