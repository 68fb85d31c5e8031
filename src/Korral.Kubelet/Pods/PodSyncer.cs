using Korral.Api.Models.CoreV1;
using Korral.Client;
using Korral.Client.Events;
using Korral.Client.Queues;
using Korral.Kubelet.Cri;
using Korral.Kubelet.Cri.V1;
using Korral.Kubelet.Hosting;
using Korral.Kubelet.Images.Pulling;
using Korral.Kubelet.Probes;
using Container = Korral.Api.Models.CoreV1.Container;

namespace Korral.Kubelet.Pods;

/// <summary>
/// Drives one pod at a time (the work queue keys by pod UID, so a pod never syncs twice at once) towards its spec, the way
/// upstream's kubelet syncPod does: volumes, sandbox, init containers in order, then containers, restarts with crash-loop
/// back-off, graceful termination with preStop hooks when the pod is deleted, clean-up of everything once its API object
/// is gone; after each pass the pod's status is computed and written when it changed. State lives in the runtime (labels
/// on sandboxes and containers), so a restarted kubelet adopts running containers instead of restarting them.
/// </summary>
public sealed partial class PodSyncer
{
    private readonly KubeClient _client;
    private readonly IRuntimeService _runtime;
    private readonly KubeletOptions _options;
    private readonly PodRegistry _pods;
    private readonly IEventRecorder _events;
    private readonly ImagePuller _images;
    private readonly LifecycleHooks _hooks;
    private readonly KeyedBackoff _crashBackoff;
    private readonly IRateLimitingQueue<string> _queue;
    private readonly IPodParts _parts;
    private readonly ProbeManager? _probes;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, PodWork> _work = new(StringComparer.Ordinal);

    public PodSyncer(KubeClient client, IRuntimeService runtime, KubeletOptions options, PodRegistry pods, IEventRecorder events, ImagePuller images,
        LifecycleHooks hooks, IRateLimitingQueue<string> queue, IPodParts parts, ProbeManager? probes = null)
    {
        _client = client;
        _runtime = runtime;
        _options = options;
        _pods = pods;
        _events = events;
        _images = images;
        _hooks = hooks;
        _queue = queue;
        _parts = parts;
        _probes = probes;
        _crashBackoff = new KeyedBackoff(options.BackoffInitial, options.BackoffMax, options.Time);
    }

    /// <summary>Syncs the pod <paramref name="uid"/> once (called by the queue's workers).</summary>
    public async Task SyncAsync(string uid, CancellationToken cancellationToken)
    {
        var known = _pods.Get(uid);
        var runtime = (await RuntimeRelister.ListAsync(_runtime, uid, cancellationToken)).GetValueOrDefault(uid);
        if (known is not { Deleted: false } entry)
        {
            // The API object is gone (or the pod was never ours): stop whatever still runs and remove every trace. Its
            // deletion was normally confirmed after a graceful stop already; this is the forced or orphaned case.
            var gone = known?.Pod;
            if (runtime is not null)
            {
                await KillPodAsync(gone, runtime, MinimumGracePeriod, "", cancellationToken);
            }

            await CleanUpAsync(uid, gone, cancellationToken);
            return;
        }

        var pod = entry.Pod;
        runtime ??= new RuntimePod(uid, pod.Metadata?.Namespace ?? "", pod.Metadata?.Name ?? "", [], []);
        var work = WorkFor(uid);
        if (pod.Metadata?.DeletionTimestamp is not null)
        {
            await TerminateAsync(pod, runtime, work, cancellationToken);
            return;
        }

        if (pod.Status?.Phase is "Succeeded" or "Failed")
        {
            if (runtime.IsRunning)
            {
                await KillPodAsync(pod, runtime, GracePeriod(pod), "", cancellationToken);
            }

            return;
        }

        await RunAsync(pod, runtime, work, cancellationToken);
    }

    /// <summary>Enqueues every pod the registry or the runtime knows (the periodic resync).</summary>
    public void EnqueueAll(IEnumerable<string> runtimeUids)
    {
        foreach (var uid in _pods.AllUids().Concat(runtimeUids).Distinct(StringComparer.Ordinal))
        {
            _queue.Add(uid);
        }
    }

    /// <summary>Removes what pods unknown to both the API and the runtime left on the node.</summary>
    public Task CleanUpOrphansAsync(IEnumerable<string> runtimeUids, CancellationToken cancellationToken) =>
        _parts.CleanUpOrphansAsync(_pods.AllUids().Concat(runtimeUids).ToHashSet(StringComparer.Ordinal), cancellationToken);

    private PodWork WorkFor(string uid)
    {
        lock (_lock)
        {
            if (!_work.TryGetValue(uid, out var work))
            {
                work = new PodWork();
                _work[uid] = work;
            }

            return work;
        }
    }

    private void ForgetWork(string uid)
    {
        lock (_lock)
        {
            _work.Remove(uid);
        }
    }

    private static TimeSpan GracePeriod(Pod pod) =>
        TimeSpan.FromSeconds(pod.Metadata?.DeletionGracePeriodSeconds ?? pod.Spec?.TerminationGracePeriodSeconds ?? 30);

    private static ObjectReference Reference(Pod pod) => new()
    {
        Kind = "Pod",
        ApiVersion = "v1",
        Namespace = pod.Metadata?.Namespace,
        Name = pod.Metadata?.Name,
        Uid = pod.Metadata?.Uid,
        ResourceVersion = pod.Metadata?.ResourceVersion,
    };

    private static ObjectReference ContainerReference(Pod pod, Container container, bool init)
    {
        var reference = Reference(pod);
        reference.FieldPath = init ? $"spec.initContainers{{{container.Name}}}" : $"spec.containers{{{container.Name}}}";
        return reference;
    }

    private static string PodDescription(Pod pod) => $"{pod.Metadata?.Name}_{pod.Metadata?.Namespace}({pod.Metadata?.Uid})";
}
