using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Korral.Api.Models;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Client;
using Korral.Kubelet.Cgroups;
using Korral.Kubelet.Pods;
using Korral.Kubelet.Tests.Fixtures;
using Xunit.Sdk;

namespace Korral.Kubelet.Tests.Kubelet;

/// <summary>
/// Base of the kubelet integration tests: each test gets its own namespace and its own kubelet (a node of its own) on
/// the shared containerd, creates pods bound to that node, and waits on the pods' API status and on the runtime. At the
/// end every pod of the test is deleted and the test waits until the kubelet removed all its traces, then stops it.
/// </summary>
[Collection(ContainerdCollection.Name)]
public abstract class KubeletTestBase(ContainerdFixture containerd, KubeletApiServer api) : IClassFixture<KubeletApiServer>, IAsyncLifetime
{
    /// <summary>How long a pod may take to reach a state: seconds on an idle machine, the rest is margin for 2 shared cores.</summary>
    protected static readonly TimeSpan PodTimeout = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan CleanupTimeout = TimeSpan.FromSeconds(90);

    private readonly ConcurrentDictionary<string, string> _podUids = new(StringComparer.Ordinal);
    private KubeletUnderTest? _node;

    protected ContainerdFixture Containerd => containerd;

    protected KubeClient Admin => api.Admin;

    protected KubeletUnderTest Node => _node ?? throw new InvalidOperationException("the kubelet is not started");

    protected string Namespace { get; } = $"kk-{Guid.NewGuid().ToString("N")[..10]}";

    public async Task InitializeAsync()
    {
        await Admin.Resource<Namespace>().CreateAsync(new Namespace { Metadata = new ObjectMeta { Name = Namespace } }, CancellationToken.None);
        _node = await KubeletUnderTest.StartAsync(containerd, api);
    }

    /// <summary>
    /// Creates a pod bound to the test's node from a spec in JSON (containers, restartPolicy, volumes, …). The service
    /// account token is not mounted: no controller publishes kube-root-ca.crt here, and TokenRequest is not served.
    /// </summary>
    protected async Task<Pod> CreatePodAsync(string name, string specJson)
    {
        var spec = JsonNode.Parse(specJson)!.AsObject();
        spec["nodeName"] = Node.NodeName;
        spec["automountServiceAccountToken"] = false;
        var pod = KubeJson.FromNode<Pod>(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Namespace },
            ["spec"] = spec,
        })!;
        var created = await Admin.Resource<Pod>().CreateAsync(pod, CancellationToken.None);
        _podUids[created.Metadata!.Uid!] = name;
        return created;
    }

    /// <summary>Polls the pod until <paramref name="condition"/> holds; fails with its last status and the kubelet's log.</summary>
    protected async Task<Pod> WaitForPodAsync(string name, Func<Pod, bool> condition, string what, TimeSpan? timeout = null)
    {
        Pod? last = null;
        await Eventually.TrueAsync(async () =>
        {
            last = await Admin.Resource<Pod>().TryGetAsync(Namespace, name, CancellationToken.None);
            return last is not null && condition(last);
        }, timeout ?? PodTimeout, () => $"pod {name}: {what}; last status: {Json(last?.Status)}\n--- kubelet log ---\n{Node.LogTail()}");
        return last!;
    }

    /// <summary>Waits until the pod's API object is gone.</summary>
    protected Task WaitForPodGoneAsync(string name, TimeSpan? timeout = null) =>
        Eventually.TrueAsync(async () => await Admin.Resource<Pod>().TryGetAsync(Namespace, name, CancellationToken.None) is null,
            timeout ?? PodTimeout, () => $"pod {name} was not removed\n--- kubelet log ---\n{Node.LogTail()}\n--- CRI calls ---\n{Node.Calls.Changes()}");

    /// <summary>The pod's sandboxes and containers in the runtime (null when it has none).</summary>
    protected async Task<RuntimePod?> RuntimeOfAsync(string uid) =>
        (await RuntimeRelister.ListAsync(containerd.Client, uid, CancellationToken.None)).GetValueOrDefault(uid);

    /// <summary>Polls the runtime until the pod's objects satisfy <paramref name="condition"/> (null: the pod has none).</summary>
    protected async Task<RuntimePod?> WaitForRuntimeAsync(string uid, Func<RuntimePod?, bool> condition, string what)
    {
        RuntimePod? last = null;
        await Eventually.TrueAsync(async () =>
        {
            last = await RuntimeOfAsync(uid);
            return condition(last);
        }, PodTimeout, () => $"pod {uid} in the runtime: {what}; last: {Describe(last)}\n--- kubelet log ---\n{Node.LogTail()}");
        return last;
    }

    /// <summary>What the node still holds of a pod: runtime objects, its log directory, its kubelet directory, its cgroups.</summary>
    protected async Task<IReadOnlyList<string>> LeftoversOfPodAsync(string uid)
    {
        var left = new List<string>();
        if (await RuntimeOfAsync(uid) is { } runtime)
        {
            left.AddRange(runtime.Sandboxes.Select(s => $"sandbox {s.Id[..12]} ({s.State})"));
            left.AddRange(runtime.Containers.Select(c => $"container {c.Metadata.Name} {c.Id[..12]} ({c.State})"));
        }

        if (Directory.Exists(Node.PodLogRoot))
        {
            left.AddRange(Directory.EnumerateDirectories(Node.PodLogRoot, $"*_{uid}").Select(d => $"log directory {d}"));
        }

        var podDir = Path.Combine(Node.KubeletDir, "pods", uid);
        if (Directory.Exists(podDir))
        {
            left.Add($"kubelet directory {podDir}");
        }

        if (new PodCgroups().FindPodUids().Contains(uid))
        {
            left.Add($"cgroup pod{uid}");
        }

        return left;
    }

    /// <summary>The lines a container printed (attempt <paramref name="attempt"/>), from its CRI log file, without the prefixes.</summary>
    protected string[] LogLinesOf(Pod pod, string container, int attempt = 0)
    {
        var path = Path.Combine(Node.PodLogRoot, $"{pod.Metadata!.Namespace}_{pod.Metadata.Name}_{pod.Metadata.Uid}", container, $"{attempt}.log");
        return File.Exists(path)
            ? [.. File.ReadAllLines(path).Select(l => l.Split(' ', 4)).Where(p => p.Length == 4).Select(p => p[3])]
            : [];
    }

    /// <summary>Waits until the container's log holds exactly <paramref name="expected"/> (the container printed all of it).</summary>
    protected Task WaitForLogAsync(Pod pod, string container, params string[] expected) =>
        Eventually.TrueAsync(() => Task.FromResult(LogLinesOf(pod, container).SequenceEqual(expected)), PodTimeout,
            () => $"log of {pod.Metadata!.Name}/{container}: expected [{string.Join(" | ", expected)}], got [{string.Join(" | ", LogLinesOf(pod, container))}]");

    /// <summary>The events the kubelet recorded about a pod.</summary>
    protected async Task<IReadOnlyList<Event>> EventsOfAsync(string uid) =>
        [.. (await Admin.Resource<Event>().ListAsync(Namespace, null, CancellationToken.None)).Items.Where(e => e.InvolvedObject?.Uid == uid)];

    protected static string Json<T>(T value) => value is null ? "null" : KubeJson.ToNode(value)!.ToJsonString();

    private static string Describe(RuntimePod? pod) => pod is null
        ? "nothing"
        : string.Join(", ", pod.Sandboxes.Select(s => $"sandbox {s.Id[..12]} {s.State}").Concat(pod.Containers.Select(c => $"{c.Metadata.Name}#{c.Metadata.Attempt} {c.State}")));

    public async Task DisposeAsync()
    {
        var problems = new List<string>();
        if (_node is null)
        {
            return;
        }

        try
        {
            await DeletePodsAndWaitForCleanUpAsync(problems);
        }
        finally
        {
            await _node.DisposeAsync();
            await RemoveByHandAsync(problems);
        }

        if (problems.Count > 0)
        {
            throw new XunitException($"the kubelet did not clean up after the test:\n  {string.Join("\n  ", problems)}\n--- kubelet log ---\n{_node.LogTail()}");
        }
    }

    /// <summary>Deletes the test's pods at once (grace 0) and waits until the kubelet removed every trace of them.</summary>
    private async Task DeletePodsAndWaitForCleanUpAsync(List<string> problems)
    {
        foreach (var name in _podUids.Values.Distinct(StringComparer.Ordinal))
        {
            try
            {
                await Admin.Resource<Pod>().DeleteAsync(Namespace, name, new DeleteOptions { GracePeriodSeconds = 0 }, CancellationToken.None);
            }
            catch (KubeApiException e) when (e.IsNotFound)
            {
                // The test deleted it already.
            }
        }

        foreach (var uid in _podUids.Keys)
        {
            IReadOnlyList<string> left = [];
            try
            {
                await Eventually.TrueAsync(async () => (left = await LeftoversOfPodAsync(uid)).Count == 0, CleanupTimeout,
                    () => $"pod {uid} left {string.Join(", ", left)}");
            }
            catch (XunitException e)
            {
                problems.Add(e.Message);
            }
        }
    }

    /// <summary>After a failed clean-up: removes what the kubelet left, so the next test starts from an empty runtime.</summary>
    private async Task RemoveByHandAsync(List<string> problems)
    {
        if (problems.Count == 0)
        {
            return;
        }

        foreach (var uid in _podUids.Keys)
        {
            foreach (var sandbox in (await RuntimeOfAsync(uid))?.Sandboxes ?? [])
            {
                await containerd.RemoveSandboxAsync(sandbox.Id, CancellationToken.None);
            }

            new PodCgroups().RemovePod(uid);
        }
    }
}
