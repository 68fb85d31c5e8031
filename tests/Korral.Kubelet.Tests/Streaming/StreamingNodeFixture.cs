using System.Net;
using System.Text.Json.Nodes;
using Korral.Api.Models;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Client;
using Korral.Kubelet.Cgroups;
using Korral.Kubelet.Pods;
using Korral.Kubelet.Server;
using Korral.Kubelet.Tests.Fixtures;
using Korral.Kubelet.Tests.Kubelet;
using Xunit.Sdk;

namespace Korral.Kubelet.Tests.Streaming;

/// <summary>
/// One node for all the streaming tests of a class: an API server, a kubelet on the shared containerd with its HTTPS
/// server, and one pod whose containers serve every case — <c>main</c> (sleeps: exec), <c>shell</c> (sh with stdin and a
/// terminal: attach), <c>finished</c> (exited at once: not running) and <c>web</c> (nginx, ready once port 80 answers:
/// port-forward). The node starts with the first test (the containerd fixture comes from the collection) and the pod is
/// deleted, and its runtime objects awaited gone, at the end.
/// </summary>
public sealed class StreamingNodeFixture : IAsyncLifetime
{
    public const string PodName = "streams";

    private static readonly TimeSpan PodTimeout = TimeSpan.FromSeconds(90);

    private readonly KubeletApiServer _api = new();
    private readonly SemaphoreSlim _starting = new(1, 1);
    private ContainerdFixture? _containerd;
    private KubeletUnderTest? _node;
    private KubeletServer? _server;
    private KubeletStreamClient? _client;
    private Pod? _pod;

    public string Namespace { get; } = $"ks-{Guid.NewGuid().ToString("N")[..10]}";

    /// <summary>The running pod (its UID names it in the paths with a uid).</summary>
    public Pod Pod => _pod ?? throw new InvalidOperationException("the node is not started");

    /// <summary>Requests to the kubelet server, authenticated as the API server or as anyone else.</summary>
    public KubeletStreamClient Kubelet => _client ?? throw new InvalidOperationException("the node is not started");

    public Task InitializeAsync() => _api.InitializeAsync();

    /// <summary>Starts the node and its pod once; later calls return at once.</summary>
    public async Task StartAsync(ContainerdFixture containerd)
    {
        await _starting.WaitAsync();
        try
        {
            if (_pod is not null)
            {
                return;
            }

            _containerd = containerd;
            _node = await KubeletUnderTest.StartAsync(containerd, _api);
            var certificates = _api.Api.Certificates;
            _server = await KubeletServer.StartAsync(new KubeletServerOptions
            {
                BindAddress = IPAddress.Loopback,
                Port = 0,
                ServingCertificate = certificates.IssueServing(_node.NodeName, ["localhost"], [IPAddress.Loopback], DateTimeOffset.UtcNow),
                ClientCertificateAuthority = certificates.Authority,
            }, _node.Kubelet.LogSource, _node.Kubelet.Streaming, CancellationToken.None);
            _client = new KubeletStreamClient(_server.Url, certificates);
            _pod = await CreatePodAsync(_node.NodeName);
        }
        finally
        {
            _starting.Release();
        }
    }

    private async Task<Pod> CreatePodAsync(string nodeName)
    {
        const string busybox = ContainerdFixture.BusyboxImage;
        var spec = JsonNode.Parse($$$"""
            {"nodeName": "{{{nodeName}}}", "automountServiceAccountToken": false, "restartPolicy": "Never",
             "containers": [
               {"name": "main", "image": "{{{busybox}}}", "imagePullPolicy": "IfNotPresent", "command": ["sleep", "3600"]},
               {"name": "shell", "image": "{{{busybox}}}", "imagePullPolicy": "IfNotPresent", "command": ["sh"], "stdin": true, "tty": true},
               {"name": "finished", "image": "{{{busybox}}}", "imagePullPolicy": "IfNotPresent", "command": ["true"]},
               {"name": "web", "image": "{{{ContainerdFixture.NginxImage}}}", "imagePullPolicy": "IfNotPresent",
                "readinessProbe": {"tcpSocket": {"port": 80}, "periodSeconds": 1}}]}
            """)!;
        var admin = _api.Admin;
        await admin.Resource<Namespace>().CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = Namespace } }, CancellationToken.None);
        var pod = KubeJson.FromNode<Pod>(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = PodName, ["namespace"] = Namespace },
            ["spec"] = spec,
        })!;
        await admin.Resource<Pod>().CreateAsync(pod, CancellationToken.None);

        Pod? last = null;
        await Eventually.TrueAsync(async () =>
        {
            last = await admin.Resource<Pod>().TryGetAsync(Namespace, PodName, CancellationToken.None);
            var statuses = last?.Status?.ContainerStatuses ?? [];
            return statuses.Count == 4 &&
                   statuses.All(s => s.Name == "finished" ? s.State?.Terminated is not null : s.State?.Running is not null) &&
                   statuses.Single(s => s.Name == "web").Ready == true;
        }, PodTimeout, () => $"pod {PodName} did not get running; last status: {KubeJson.ToNode(last?.Status)}\n--- kubelet log ---\n{_node!.LogTail()}");
        return last!;
    }

    public async Task DisposeAsync()
    {
        var problems = new List<string>();
        if (_pod is not null && _node is not null && _containerd is not null)
        {
            var uid = _pod.Metadata!.Uid!;
            await _api.Admin.Resource<Pod>().DeleteAsync(Namespace, PodName, new DeleteOptions { GracePeriodSeconds = 0 }, CancellationToken.None);
            try
            {
                await Eventually.TrueAsync(async () =>
                        await _api.Admin.Resource<Pod>().TryGetAsync(Namespace, PodName, CancellationToken.None) is null &&
                        !(await RuntimeRelister.ListAsync(_containerd.Client, uid, CancellationToken.None)).ContainsKey(uid) &&
                        !new PodCgroups().FindPodUids().Contains(uid),
                    PodTimeout, () => $"pod {uid} was not cleaned up\n--- kubelet log ---\n{_node.LogTail()}");
            }
            catch (XunitException e)
            {
                problems.Add(e.Message);
                foreach (var sandbox in (await RuntimeRelister.ListAsync(_containerd.Client, uid, CancellationToken.None)).GetValueOrDefault(uid)?.Sandboxes ?? [])
                {
                    await _containerd.RemoveSandboxAsync(sandbox.Id, CancellationToken.None);
                }

                new PodCgroups().RemovePod(uid);
            }
        }

        _client?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_node is not null)
        {
            await _node.DisposeAsync();
        }

        await _api.DisposeAsync();
        _starting.Dispose();
        if (problems.Count > 0)
        {
            throw new XunitException(string.Join("\n", problems));
        }
    }
}
