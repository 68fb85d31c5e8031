using System.Net;
using Korral.Ingress.Nginx;
using Korral.Ingress.Tls;
using Korral.Ingress.Translation;

namespace Korral.Ingress.Tests.Fixtures;

/// <summary>
/// A real nginx run by <see cref="NginxSupervisor"/> on two free high ports of 127.0.0.1, configured from
/// <see cref="Objects"/> the way the controller configures it (translation, certificate store, writer), without an API
/// server. Disposing stops nginx and removes its directory.
/// </summary>
public sealed class NginxHarness : IAsyncDisposable
{
    private readonly TempDirectory _directory;
    private readonly List<string> _log = [];

    public NginxHarness(string name)
    {
        _directory = new TempDirectory(name);
        Layout = new NginxLayout(_directory.Path);
        (HttpPort, HttpsPort) = FreePorts.Pair();
        Certificates = new CertificateStore(Layout.CertsDir, (ns, n) => Objects.Secrets.FirstOrDefault(s => s.Metadata?.Namespace == ns && s.Metadata.Name == n),
            TimeProvider.System);
        Supervisor = new NginxSupervisor(NginxInstalled.Require(), Layout, Log, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10));
        Client = new IngressClient(HttpPort, HttpsPort);
    }

    public ClusterObjects Objects { get; } = new();

    public NginxLayout Layout { get; }

    public int HttpPort { get; }

    public int HttpsPort { get; }

    public CertificateStore Certificates { get; }

    public NginxSupervisor Supervisor { get; }

    public IngressClient Client { get; }

    public NginxConfiguration? Configuration { get; private set; }

    /// <summary>The options nginx.conf is rendered with: loopback only, one worker, a short shutdown timeout.</summary>
    public NginxRenderOptions RenderOptions => new()
    {
        Layout = Layout,
        HttpPort = HttpPort,
        HttpsPort = HttpsPort,
        ListenAddresses = [IPAddress.Loopback],
        WorkerProcesses = 1,
        WorkerConnections = 256,
        WorkerShutdownTimeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>Translates <see cref="Objects"/>, renders and applies the result.</summary>
    public async Task<NginxApplyResult> ApplyAsync()
    {
        Configuration = IngressTranslator.Translate(Objects.Ingresses, new MemoryBackendSource(Objects), Certificates);
        var result = await Supervisor.ApplyAsync(Render(), CancellationToken.None);
        if (result.Outcome is NginxApplyOutcome.Started or NginxApplyOutcome.Reloaded)
        {
            Certificates.Retain(Configuration.Servers.Select(s => s.Certificate));
        }

        return result;
    }

    /// <summary>The nginx.conf of the last translation.</summary>
    public string Render() => NginxConfigWriter.Render(Configuration!, RenderOptions);

    public void Log(string line)
    {
        lock (_log)
        {
            _log.Add(line);
        }
    }

    public string LogText()
    {
        lock (_log)
        {
            return string.Join("\n", _log);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Supervisor.DisposeAsync();
        _directory.Dispose();
    }
}
