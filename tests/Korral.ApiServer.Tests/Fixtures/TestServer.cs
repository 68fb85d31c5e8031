using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Korral.ApiServer.Adapters;
using Korral.ApiServer.Hosting;
using Korral.ApiServer.Http;
using Korral.Storage.Sqlite;

namespace Korral.ApiServer.Tests.Fixtures;

/// <summary>
/// One API server over a SQLite store in a data directory, on a free loopback port, with an admin client (CN=admin,
/// O=system:masters) that trusts the cluster CA. Restart tests start several of these, one after another, on one
/// data directory.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    /// <summary>A short bookmark interval, so that bookmark tests do not wait the production half minute.</summary>
    public static readonly TimeSpan BookmarkInterval = TimeSpan.FromMilliseconds(300);

    private readonly List<HttpClient> _clients = [];
    private readonly SqliteStore _store;

    private TestServer(string dataDir, SqliteStore store, ApiServerHost host, List<string> log)
    {
        DataDir = dataDir;
        _store = store;
        Host = host;
        Log = log;
        AdminCertificate = host.Certificates.IssueClient("admin", ["system:masters"], DateTimeOffset.UtcNow);
        Api = new ApiClient(NewHttpClient(AdminCertificate, HttpVersion.Version11));
    }

    public string DataDir { get; }

    public ApiServerHost Host { get; }

    public SqliteStore Store => _store;

    /// <summary>What the server logged (start-up lines, unexpected errors): shown when a test fails.</summary>
    public List<string> Log { get; }

    public X509Certificate2 AdminCertificate { get; }

    /// <summary>The admin client over HTTP/1.1.</summary>
    public ApiClient Api { get; }

    public static Task<TestServer> StartAsync(string dataDir, CancellationToken cancellationToken = default) =>
        StartAsync(dataDir, parts => parts, cancellationToken);

    /// <summary>Starts a server whose parts <paramref name="customize"/> adjusts (a seam such as the name-suffix source).</summary>
    public static async Task<TestServer> StartAsync(string dataDir, Func<ApiServerParts, ApiServerParts> customize,
        CancellationToken cancellationToken = default)
    {
        var log = new List<string>();
        void Log(string line)
        {
            lock (log)
            {
                log.Add(line);
            }
        }

        var store = await SqliteStore.OpenAsync(new SqliteStoreOptions { DatabasePath = Path.Combine(dataDir, "db", "state.db") }, cancellationToken);
        var parts = customize(DefaultParts.Create() with { Watch = new WatchSettings { BookmarkInterval = BookmarkInterval } });

        // The port is picked by binding port 0 and releasing it; another process may grab it in between, so retry.
        for (var attempt = 1; ; attempt++)
        {
            var options = new ApiServerOptions { DataDir = dataDir, BindAddress = IPAddress.Loopback, Port = FreePort() };
            try
            {
                var host = await ApiServerHost.StartAsync(options, store, parts, Log, cancellationToken);
                return new TestServer(dataDir, store, host, log);
            }
            catch (IOException) when (attempt < 5)
            {
            }
            catch
            {
                await store.DisposeAsync();
                throw;
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A client over <paramref name="version"/> presenting <paramref name="clientCertificate"/> (none: anonymous).</summary>
    public HttpClient NewHttpClient(X509Certificate2? clientCertificate, Version version)
    {
        var authority = Host.Certificates.Authority;
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    certificate is X509Certificate2 serving && ChainsTo(serving, authority) &&
                    (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0,
                LocalCertificateSelectionCallback = clientCertificate is null ? null : (_, _, _, _, _) => clientCertificate,
                ClientCertificates = clientCertificate is null ? null : new X509CertificateCollection { clientCertificate },
            },
        };
        var client = new HttpClient(handler)
        {
            BaseAddress = Host.Url,
            DefaultRequestVersion = version,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(60),
        };
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

    public string LogText()
    {
        lock (Log)
        {
            return string.Join("\n", Log);
        }
    }

    /// <summary>Stops the server and closes the store (the data directory stays).</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_clients)
        {
            foreach (var c in _clients)
            {
                c.Dispose();
            }
        }

        await Host.DisposeAsync();
        await _store.DisposeAsync();
    }
}
