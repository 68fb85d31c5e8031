using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.ApiServer.Security;
using Korral.Client;
using Korral.Kubelet.Join;

namespace Korral.Kubelet.Tests.Join;

/// <summary>Agents joining a real API server over HTTPS on loopback.</summary>
public sealed class NodeJoinClientTests : IAsyncLifetime
{
    private static readonly IPAddress[] Addresses = [IPAddress.Parse("192.0.2.20"), IPAddress.Parse("fd00::20")];

    private readonly List<string> _agentLog = [];
    private JoinServer _server = null!;
    private string _agentDir = null!;

    public async Task InitializeAsync()
    {
        _server = await JoinServer.StartAsync();
        _agentDir = Path.Combine(Path.GetTempPath(), "korral-kubelet-join-tests", Guid.NewGuid().ToString("n"));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        if (Directory.Exists(_agentDir))
        {
            Directory.Delete(_agentDir, recursive: true);
        }
    }

    private Uri Url => _server.Host.Url;

    private string FullToken => _server.Host.NodeToken.Value;

    private string Secret => _server.Host.NodeToken.Secret;

    private NodeJoinClient Client() => new(line =>
    {
        lock (_agentLog)
        {
            _agentLog.Add(line);
        }
    });

    private string AgentLog()
    {
        lock (_agentLog)
        {
            return string.Join("\n", _agentLog);
        }
    }

    [Fact]
    public async Task A_secure_token_joins_and_the_client_certificate_lists_nodes()
    {
        using var credentials = await Client().JoinAsync(Url, FullToken, "worker-1", Addresses, CancellationToken.None);

        Assert.Equal(_server.Host.Certificates.Authority.Thumbprint, credentials.Authority.Thumbprint);
        var user = Authenticator.FromCertificate(credentials.ClientCertificate);
        Assert.Equal("system:node:worker-1", user.Name);
        Assert.Contains("system:nodes", user.Groups);
        Assert.True(credentials.ServingCertificate.HasPrivateKey);
        Assert.Equal("worker-1", credentials.ServingCertificate.GetNameInfo(X509NameType.SimpleName, false));

        using var kube = new KubeClient(credentials.ClientOptions(Url));
        await kube.Resource<Node>().CreateAsync(new Node { Metadata = new ObjectMeta { Name = "worker-1" } }, CancellationToken.None);
        var nodes = await kube.Resource<Node>().ListAsync(null, null, CancellationToken.None);
        Assert.Contains(nodes.Items, n => n.Metadata?.Name == "worker-1");

        Assert.DoesNotContain(Secret, AgentLog(), StringComparison.Ordinal);
        Assert.DoesNotContain("warning", AgentLog(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_serving_certificate_serves_TLS_that_verifies_against_the_cluster_CA()
    {
        using var credentials = await Client().JoinAsync(Url, FullToken, "worker-tls", Addresses, CancellationToken.None);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var serve = Task.Run(async () =>
        {
            using var accepted = await listener.AcceptTcpClientAsync();
            await using var tls = new SslStream(accepted.GetStream());
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = credentials.ServingCertificate });
            await tls.WriteAsync("ok"u8.ToArray());
        });

        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        await using var client = new SslStream(tcp.GetStream());
        var authority = credentials.Authority;
        await client.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "worker-tls",
            RemoteCertificateValidationCallback = (_, cert, _, errors) =>
                (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0 && cert is X509Certificate2 leaf && CertificateChains.IssuedBy(leaf, [authority]),
        });
        var buffer = new byte[2];
        await client.ReadExactlyAsync(buffer);
        Assert.Equal("ok"u8.ToArray(), buffer);
        await serve.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_short_token_trusts_the_CA_on_first_use_with_a_warning()
    {
        using var credentials = await Client().JoinAsync(Url, Secret, "worker-2", Addresses, CancellationToken.None);

        Assert.Equal(_server.Host.Certificates.Authority.Thumbprint, credentials.Authority.Thumbprint);
        Assert.Contains("warning: the token has no CA hash (short format)", AgentLog(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, AgentLog(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_CA_hash_mismatch_is_refused_before_the_secret_is_sent()
    {
        var otherCluster = $"K10{new string('a', 64)}::server:{Secret}";

        var error = await Assert.ThrowsAsync<NodeJoinException>(() => Client().JoinAsync(Url, otherCluster, "worker-3", Addresses, CancellationToken.None));

        Assert.Contains("is not the one the token names", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
        // The server never saw a credentials request: neither refused nor issued.
        Assert.DoesNotContain("node join:", _server.LogText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_secret_is_refused_by_the_server()
    {
        var wrong = $"K10{_server.Host.NodeToken.CaHash}::server:not-the-secret";

        var error = await Assert.ThrowsAsync<NodeJoinException>(() => Client().JoinAsync(Url, wrong, "worker-4", Addresses, CancellationToken.None));

        Assert.Contains("refused the join token (401 Unauthorized)", error.Message, StringComparison.Ordinal);
        Assert.Contains("node join: refused a request", _server.LogText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Worker_1")]
    [InlineData("")]
    public async Task Bad_node_names_are_refused_without_asking_the_server(string name)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Client().JoinAsync(Url, FullToken, name, Addresses, CancellationToken.None));
        Assert.DoesNotContain("node join:", _server.LogText(), StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]   // the node agent runs on Linux only; file modes are its contract
    public async Task Credentials_are_stored_owner_only_and_reused_after_a_restart()
    {
        var pki = NodeCredentialStore.DefaultDirectory(_agentDir);
        using (var joined = await Client().LoadOrJoinAsync(Url, FullToken, "worker-5", Addresses, pki, CancellationToken.None))
        {
            Assert.Equal("system:node:worker-5", Authenticator.FromCertificate(joined.ClientCertificate).Name);
        }

        var keyMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Assert.Equal(keyMode, File.GetUnixFileMode(Path.Combine(pki, NodeCredentialStore.ClientKeyFile)));
        Assert.Equal(keyMode, File.GetUnixFileMode(Path.Combine(pki, NodeCredentialStore.ServingKeyFile)));
        Assert.Equal(keyMode | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(Path.Combine(pki, NodeCredentialStore.CaFile)));
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(_server.DataDir, "tls", "ca.crt")), await File.ReadAllBytesAsync(Path.Combine(pki, NodeCredentialStore.CaFile)));

        // A restart: the stored credentials still fit, so the server is not asked again.
        using (var reloaded = await Client().LoadOrJoinAsync(Url, FullToken, "worker-5", Addresses, pki, CancellationToken.None))
        {
            Assert.True(reloaded.ClientCertificate.HasPrivateKey);
            using var kube = new KubeClient(reloaded.ClientOptions(Url));
            Assert.NotNull(await kube.Resource<Node>().ListAsync(null, null, CancellationToken.None));
        }

        Assert.Single(IssuedLines());
        Assert.Contains("using the credentials of node worker-5", AgentLog(), StringComparison.Ordinal);

        // A new address is not in the serving certificate: the node joins again.
        using (await Client().LoadOrJoinAsync(Url, FullToken, "worker-5", [.. Addresses, IPAddress.Parse("192.0.2.21")], pki, CancellationToken.None))
        {
        }

        Assert.Equal(2, IssuedLines().Count);
        Assert.Contains("the serving certificate does not cover 192.0.2.21", AgentLog(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stored_credentials_of_another_cluster_or_node_are_not_used()
    {
        var pki = NodeCredentialStore.DefaultDirectory(_agentDir);
        using (await Client().LoadOrJoinAsync(Url, FullToken, "worker-6", Addresses, pki, CancellationToken.None))
        {
        }

        var store = new NodeCredentialStore(pki);
        var now = DateTimeOffset.UtcNow;
        using (var fits = store.TryLoad(JoinToken.Parse(FullToken), "worker-6", Addresses, now, out _))
        {
            Assert.NotNull(fits);
        }

        Assert.Null(store.TryLoad(JoinToken.Parse($"K10{new string('b', 64)}::server:x"), "worker-6", Addresses, now, out var otherCluster));
        Assert.Contains("another cluster", otherCluster, StringComparison.Ordinal);
        Assert.Null(store.TryLoad(JoinToken.Parse(FullToken), "worker-7", Addresses, now, out var otherNode));
        Assert.Equal("the client certificate is not node worker-7's", otherNode);
        Assert.Null(store.TryLoad(JoinToken.Parse(FullToken), "worker-6", Addresses, now.AddYears(1), out var expiring));
        Assert.StartsWith("the client certificate expires at", expiring, StringComparison.Ordinal);

        File.Delete(Path.Combine(pki, NodeCredentialStore.ServingKeyFile));
        Assert.Null(store.TryLoad(JoinToken.Parse(FullToken), "worker-6", Addresses, now, out var missing));
        Assert.Equal("serving-kubelet.key is missing", missing);
    }

    private List<string> IssuedLines() =>
        [.. _server.LogText().Split('\n').Where(l => l.StartsWith("node join: issued", StringComparison.Ordinal))];
}
