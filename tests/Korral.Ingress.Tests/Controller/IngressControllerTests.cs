using System.Net;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.DiscoveryV1;
using Korral.Api.Models.MetaV1;
using Korral.Api.Models.NetworkingV1;
using Korral.Client;
using Korral.Ingress.Classes;
using Korral.Ingress.Nginx;
using Korral.Ingress.Tests.Fixtures;
using static Korral.Ingress.Tests.Fixtures.TestObjects;

namespace Korral.Ingress.Tests.Controller;

using Ingress = Korral.Api.Models.NetworkingV1.Ingress;

/// <summary>
/// The whole controller against a real API server and a real nginx on high ports of 127.0.0.1: objects created through
/// the API become routes, changes of endpoints and Services reach nginx, status.loadBalancer is written, Ingresses of
/// other classes are left alone, and stopping the controller stops nginx.
/// </summary>
public sealed class IngressControllerTests(TestCluster cluster) : IClassFixture<TestCluster>
{
    private const string NodeAddress = "192.0.2.10";

    [Fact]
    public async Task ScenarioIngressIsRoutedAndItsStatusSet()
    {
        var client = cluster.NewClient();
        await using var web = await EchoBackend.StartAsync("webapp");
        await EnsureNodeAsync(client);
        await client.Resource<Service>().CreateAsync(Service("webapp-service", 80, web.Port), CancellationToken.None);
        await client.Resource<EndpointSlice>().CreateAsync(Slice("webapp-service", web.Port), CancellationToken.None);
        // 05-webapp-ingress.yaml: no class; ours because the class the controller creates is the default.
        var ingress = NewIngress("webapp-ingress", ("mywebapp.example.com", "/", "Prefix", "webapp-service", 80));
        ingress.Metadata!.CreationTimestamp = null;
        await client.Resource<Ingress>().CreateAsync(ingress, CancellationToken.None);

        await using var controller = await RunningController.StartAsync(client, cluster);

        var (status, body) = await Eventually.Until(() => controller.Client.FetchAsync("mywebapp.example.com", "/"),
            r => r.Status == HttpStatusCode.OK, "the Ingress to route to its Service's endpoint");
        Assert.Equal(web.Expected($"mywebapp.example.com:{controller.Options.HttpPort}", "/"), body);
        var written = await Eventually.Until(() => client.Resource<Ingress>().GetAsync("default", "webapp-ingress", CancellationToken.None),
            i => i.Status?.LoadBalancer?.Ingress is { Count: > 0 }, "status.loadBalancer");
        Assert.Equal([NodeAddress], written.Status!.LoadBalancer!.Ingress!.Select(i => i.Ip));
        var created = await client.Resource<IngressClass>().GetAsync(null, "nginx", CancellationToken.None);
        Assert.Equal("korral.io/ingress-nginx", created.Spec!.Controller);
        Assert.True(IngressClassFilter.IsDefault(created));
        Assert.Equal(HttpStatusCode.NotFound, (await controller.Client.FetchAsync("unknown.example.com", "/")).Status);
    }

    [Fact]
    public async Task EndpointAndServiceChangesReachNginx()
    {
        var client = cluster.NewClient();
        await using var first = await EchoBackend.StartAsync("first");
        await using var second = await EchoBackend.StartAsync("second");
        await client.Resource<Service>().CreateAsync(Service("moving", 80, first.Port), CancellationToken.None);
        var slice = await client.Resource<EndpointSlice>().CreateAsync(Slice("moving", first.Port), CancellationToken.None);
        var ingress = NewIngress("moving", ("moving.example.com", "/", "Prefix", "moving", 80));
        ingress.Spec!.IngressClassName = "nginx";
        await client.Resource<Ingress>().CreateAsync(ingress, CancellationToken.None);
        await using var controller = await RunningController.StartAsync(client, cluster);
        await Eventually.Until(() => controller.Client.FetchAsync("moving.example.com", "/"), r => r.Body.StartsWith("backend=first", StringComparison.Ordinal),
            "the first backend");
        var reloads = controller.Supervisor.Reloads;

        slice.Ports![0].Port = second.Port;
        await client.Resource<EndpointSlice>().UpdateAsync(slice, CancellationToken.None);
        await Eventually.Until(() => controller.Client.FetchAsync("moving.example.com", "/"), r => r.Body.StartsWith("backend=second", StringComparison.Ordinal),
            "the endpoint change to reach nginx");
        Assert.True(controller.Supervisor.Reloads > reloads);

        await client.Resource<Service>().DeleteAsync("default", "moving", null, CancellationToken.None);
        await Eventually.Until(() => controller.Client.FetchAsync("moving.example.com", "/"), r => r.Status == HttpStatusCode.ServiceUnavailable,
            "503 once the Service is gone");
        Assert.Contains("Service \"default/moving\" does not exist; answering 503", controller.Log(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task IngressesOfOtherClassesAreLeftAlone()
    {
        var client = cluster.NewClient();
        await using var web = await EchoBackend.StartAsync("web");
        await EnsureNodeAsync(client);
        await client.Resource<Service>().CreateAsync(Service("classy", 80, web.Port), CancellationToken.None);
        await client.Resource<EndpointSlice>().CreateAsync(Slice("classy", web.Port), CancellationToken.None);
        var theirs = NewIngress("theirs", ("theirs.example.com", "/", "Prefix", "classy", 80));
        theirs.Spec!.IngressClassName = "traefik";
        var legacy = NewIngress("legacy", ("legacy.example.com", "/", "Prefix", "classy", 80));
        legacy.Metadata!.Annotations = new Dictionary<string, string> { [IngressClassFilter.ClassAnnotation] = "nginx" };
        foreach (var ingress in new[] { theirs, legacy })
        {
            await client.Resource<Ingress>().CreateAsync(ingress, CancellationToken.None);
        }

        await using var controller = await RunningController.StartAsync(client, cluster);
        await Eventually.Until(() => controller.Client.FetchAsync("legacy.example.com", "/"), r => r.Status == HttpStatusCode.OK,
            "the Ingress with kubernetes.io/ingress.class: nginx");

        // Both were queued for the status writer when its cache filled: once ours is written, theirs was looked at.
        await Eventually.Until(() => client.Resource<Ingress>().GetAsync("default", "legacy", CancellationToken.None),
            i => i.Status?.LoadBalancer?.Ingress is { Count: > 0 }, "the status of the Ingress of our class");
        Assert.Equal(HttpStatusCode.NotFound, (await controller.Client.FetchAsync("theirs.example.com", "/")).Status);
        Assert.DoesNotContain(controller.Controller.LastConfiguration!.Servers, s => s.Host == "theirs.example.com");
        Assert.Null((await client.Resource<Ingress>().GetAsync("default", "theirs", CancellationToken.None)).Status?.LoadBalancer?.Ingress);
    }

    [Fact]
    public async Task TlsSecretFromTheApiIsPresentedBySni()
    {
        var client = cluster.NewClient();
        await using var web = await EchoBackend.StartAsync("web");
        await client.Resource<Service>().CreateAsync(Service("secure", 80, web.Port), CancellationToken.None);
        await client.Resource<EndpointSlice>().CreateAsync(Slice("secure", web.Port), CancellationToken.None);
        var secret = TlsSecret("secure-tls", "secure.example.com");
        secret.Metadata!.ResourceVersion = null;
        await client.Resource<Secret>().CreateAsync(secret, CancellationToken.None);
        var ingress = NewIngress("secure", ("secure.example.com", "/", "Prefix", "secure", 80));
        ingress.Spec!.Tls = [new IngressTLS { Hosts = ["secure.example.com"], SecretName = "secure-tls" }];
        await client.Resource<Ingress>().CreateAsync(ingress, CancellationToken.None);
        await using var controller = await RunningController.StartAsync(client, cluster);

        await Eventually.Until(async () =>
        {
            using var response = await controller.Client.GetTlsAsync("secure.example.com", "/");
            return $"{(int)response.StatusCode} {controller.Client.LastCertificate?.Subject}";
        }, r => r == "200 CN=secure.example.com", "the Secret's certificate for secure.example.com");

        // A renewed certificate is a new file and a reload, without restarting anything.
        var renewed = TlsSecret("secure-tls", "secure.example.com", "www.secure.example.com");
        var stored = await client.Resource<Secret>().GetAsync("default", "secure-tls", CancellationToken.None);
        stored.Data = renewed.Data;
        await client.Resource<Secret>().UpdateAsync(stored, CancellationToken.None);
        await Eventually.Until(async () =>
        {
            using var response = await controller.Client.GetTlsAsync("secure.example.com", "/");
            return controller.Client.LastCertificate?.Extensions.OfType<System.Security.Cryptography.X509Certificates.X509SubjectAlternativeNameExtension>()
                .SelectMany(e => e.EnumerateDnsNames()).Count() ?? 0;
        }, n => n == 2, "the renewed certificate");
        Assert.DoesNotContain("BEGIN", controller.Log(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoppingTheControllerStopsNginx()
    {
        var client = cluster.NewClient();
        var controller = await RunningController.StartAsync(client, cluster);
        await Eventually.Until(() => Task.FromResult(controller.Supervisor.MasterPid), p => p is not null, "nginx to start");
        var master = controller.Supervisor.MasterPid!.Value;

        await controller.DisposeAsync();

        Assert.Empty(ProcessTable.Group(master, "nginx"));
        Assert.Contains("ingress: nginx stopped", controller.Log(), StringComparison.Ordinal);
    }

    private static async Task EnsureNodeAsync(KubeClient client)
    {
        var nodes = client.Resource<Node>();
        var node = await nodes.TryGetAsync(null, "vm", CancellationToken.None)
            ?? await nodes.CreateAsync(new Node { Metadata = new ObjectMeta { Name = "vm" } }, CancellationToken.None);
        node.Status = new NodeStatus { Addresses = [new NodeAddress { Type = "Hostname", Address = "vm" }, new NodeAddress { Type = "InternalIP", Address = NodeAddress }] };
        await nodes.UpdateStatusAsync(node, CancellationToken.None);
    }

    /// <summary>A controller for node "vm" on free high ports of 127.0.0.1, running until disposed.</summary>
    private sealed class RunningController : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly List<string> _log = [];
        private readonly TempDirectory _directory = new("controller");
        private Task _run = Task.CompletedTask;
        private Korral.Client.Informers.SharedInformerFactory? _informers;

        public IngressOptions Options { get; private set; } = null!;

        public IngressController Controller { get; private set; } = null!;

        public NginxSupervisor Supervisor => Controller.Supervisor!;

        public IngressClient Client { get; private set; } = null!;

        public static async Task<RunningController> StartAsync(KubeClient client, TestCluster cluster)
        {
            var running = new RunningController();
            var (http, https) = FreePorts.Pair();
            running.Options = new IngressOptions
            {
                DataDir = running._directory.Path,
                NodeName = "vm",
                HttpPort = http,
                HttpsPort = https,
                ListenAddresses = [IPAddress.Loopback],
                WorkerProcesses = 1,
                WorkerConnections = 256,
                MinSyncInterval = TimeSpan.FromMilliseconds(100),
                StopTimeout = TimeSpan.FromSeconds(5),
                Log = line =>
                {
                    cluster.Log(line);
                    lock (running._log)
                    {
                        running._log.Add(line);
                    }
                },
            };
            running.Client = new IngressClient(http, https);
            running._informers = new Korral.Client.Informers.SharedInformerFactory(client, new Korral.Client.Informers.InformerOptions { Log = running.Options.Log });
            running.Controller = new IngressController(running.Options, client, running._informers);
            running._informers.Start(running._stop.Token);
            running._run = running.Controller.RunAsync(running._stop.Token);
            await Eventually.Until(() => Task.FromResult(running.Controller.Supervisor?.MasterPid), p => p is not null || running._run.IsCompleted,
                "the controller to start nginx");
            if (running._run.IsFaulted)
            {
                await running._run;
            }

            return running;
        }

        public string Log()
        {
            lock (_log)
            {
                return string.Join("\n", _log);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _run.WaitAsync(TimeSpan.FromSeconds(30));
            if (_informers is not null)
            {
                await _informers.DisposeAsync();
            }

            Client.Dispose();
            _stop.Dispose();
            _directory.Dispose();
        }
    }
}
