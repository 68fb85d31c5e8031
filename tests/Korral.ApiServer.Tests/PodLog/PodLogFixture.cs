using System.Net;
using System.Text.Json.Nodes;
using Korral.ApiServer.Security;
using Korral.ApiServer.Tests.Fixtures;

namespace Korral.ApiServer.Tests.PodLog;

/// <summary>
/// An API server whose CA also signed a fake kubelet's serving certificate (the CA is made before the server starts, which
/// loads it), a second fake kubelet with a certificate from a foreign CA, and nodes pointing at them. The API server's
/// default kubelet port is the trusted fake's, so nodes that report no port reach it too.
/// </summary>
public sealed class PodLogFixture : IAsyncLifetime
{
    private TestServer? _server;

    public string DataDir { get; } = TempDirs.Create();

    public TestServer Server => _server ?? throw new InvalidOperationException("the server has not started");

    public ApiClient Api => Server.Api;

    /// <summary>The cluster CA (the API server loads it from the data directory).</summary>
    public ClusterCertificates Authority { get; private set; } = null!;

    public FakeKubelet Kubelet { get; private set; } = null!;

    /// <summary>Serves with a certificate the cluster CA did not sign.</summary>
    public FakeKubelet Untrusted { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var now = DateTimeOffset.UtcNow;
        var ca = ClusterCertificates.LoadOrCreate(Path.Combine(DataDir, "tls"), now).Certificates;
        Authority = ca;
        Kubelet = await FakeKubelet.StartAsync(ca.IssueServing("node-1", ["localhost"], [IPAddress.Loopback], now));
        var foreign = ClusterCertificates.LoadOrCreate(Path.Combine(DataDir, "foreign-tls"), now).Certificates;
        Untrusted = await FakeKubelet.StartAsync(foreign.IssueServing("node-2", ["localhost"], [IPAddress.Loopback], now));
        _server = await TestServer.StartAsync(DataDir, parts => parts with { Kubelets = parts.Kubelets with { DefaultPort = Kubelet.Port } });

        await NodeAsync("node-1", Kubelet.Port);
        await NodeAsync("node-untrusted", Untrusted.Port);
        await NodeAsync("node-default-port", null);
        await NodeAsync("node-hostname", Kubelet.Port, [("Hostname", "localhost")]);
        await NodeAsync("node-no-address", Kubelet.Port, []);
        await NodeAsync("node-closed", ClosedPort());
    }

    /// <summary>A node (created, then given a status as a kubelet reports it): InternalIP 127.0.0.1 unless told otherwise.</summary>
    public async Task NodeAsync(string name, int? port, (string Type, string Address)[]? addresses = null)
    {
        addresses ??= [("InternalIP", "127.0.0.1")];
        var created = await Api.CreateAsync("/api/v1/nodes", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject { ["name"] = name },
        });
        var status = new JsonObject
        {
            ["addresses"] = new JsonArray(addresses.Select(a => (JsonNode)new JsonObject { ["type"] = a.Type, ["address"] = a.Address }).ToArray()),
        };
        if (port is { } p)
        {
            status["daemonEndpoints"] = new JsonObject { ["kubeletEndpoint"] = new JsonObject { ["Port"] = p } };
        }

        created["status"] = status;
        ApiAssert.Code(200, await Api.PutAsync($"/api/v1/nodes/{name}/status", created));
    }

    /// <summary>A loopback port nothing listens on (bound and released).</summary>
    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task<string> NewNamespaceAsync()
    {
        var name = $"log-{Guid.NewGuid():N}"[..16];
        ApiAssert.Code(201, await Api.PostAsync("/api/v1/namespaces", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject { ["name"] = name },
        }));
        return name;
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        await Kubelet.DisposeAsync();
        await Untrusted.DisposeAsync();
        TempDirs.Delete(DataDir);
    }
}
