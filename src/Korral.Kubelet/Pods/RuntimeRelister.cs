using Korral.Kubelet.Cri;
using Korral.Kubelet.Translation;
using Korral.Kubelet.Cri.V1;

namespace Korral.Kubelet.Pods;

/// <summary>
/// The pod lifecycle event generator: containerd 1.6 has no event stream for CRI (GetContainerEvents is unimplemented),
/// so every relist interval all sandboxes and containers are listed (two calls, whatever the pod count) and the pods whose
/// runtime state changed are reported, as upstream's generic PLEG does. The latest listing is kept for lookups.
/// </summary>
public sealed class RuntimeRelister(IRuntimeService runtime, Action<string> onChanged)
{
    private readonly Lock _lock = new();
    private Dictionary<string, RuntimePod> _pods = new(StringComparer.Ordinal);
    private Dictionary<string, string> _fingerprints = new(StringComparer.Ordinal);

    /// <summary>Pod UIDs the runtime knows, as of the last relist.</summary>
    public IReadOnlyCollection<string> PodUids
    {
        get
        {
            lock (_lock)
            {
                return [.. _pods.Keys];
            }
        }
    }

    /// <summary>The pod's runtime objects as of the last relist (null when it has none).</summary>
    public RuntimePod? Get(string uid)
    {
        lock (_lock)
        {
            return _pods.GetValueOrDefault(uid);
        }
    }

    /// <summary>Lists everything once and reports the pods that changed since the previous relist.</summary>
    public async Task RelistAsync(CancellationToken cancellationToken)
    {
        var pods = await ListAsync(runtime, null, cancellationToken);
        var fingerprints = pods.ToDictionary(p => p.Key, p => Fingerprint(p.Value), StringComparer.Ordinal);
        List<string> changed = [];
        lock (_lock)
        {
            foreach (var (uid, fingerprint) in fingerprints)
            {
                if (!_fingerprints.TryGetValue(uid, out var old) || old != fingerprint)
                {
                    changed.Add(uid);
                }
            }

            changed.AddRange(_fingerprints.Keys.Where(uid => !fingerprints.ContainsKey(uid)));
            _pods = pods;
            _fingerprints = fingerprints;
        }

        foreach (var uid in changed)
        {
            onChanged(uid);
        }
    }

    /// <summary>Lists the sandboxes and containers of one pod (or of all pods when <paramref name="uid"/> is null), grouped by pod UID.</summary>
    public static async Task<Dictionary<string, RuntimePod>> ListAsync(IRuntimeService runtime, string? uid, CancellationToken cancellationToken)
    {
        var sandboxFilter = new PodSandboxFilter();
        var containerFilter = new ContainerFilter();
        if (uid is not null)
        {
            sandboxFilter.LabelSelector.Add(KubeletLabels.PodUid, uid);
            containerFilter.LabelSelector.Add(KubeletLabels.PodUid, uid);
        }

        var sandboxes = runtime.ListPodSandboxAsync(new ListPodSandboxRequest { Filter = sandboxFilter }, cancellationToken);
        var containers = runtime.ListContainersAsync(new ListContainersRequest { Filter = containerFilter }, cancellationToken);
        var result = new Dictionary<string, RuntimePod>(StringComparer.Ordinal);
        var sandboxesByPod = (await sandboxes).Items
            .Where(s => s.Labels.ContainsKey(KubeletLabels.PodUid))
            .GroupBy(s => s.Labels[KubeletLabels.PodUid]);
        var containersByPod = (await containers).Containers
            .Where(c => c.Labels.ContainsKey(KubeletLabels.PodUid))
            .GroupBy(c => c.Labels[KubeletLabels.PodUid])
            .ToDictionary(g => g.Key, g => g.OrderByDescending(c => c.CreatedAt).ToList(), StringComparer.Ordinal);
        foreach (var group in sandboxesByPod)
        {
            var ordered = group.OrderByDescending(s => s.CreatedAt).ToList();
            var meta = ordered[0].Metadata;
            result[group.Key] = new RuntimePod(group.Key, meta?.Namespace ?? "", meta?.Name ?? "", ordered, containersByPod.GetValueOrDefault(group.Key) ?? []);
        }

        foreach (var (podUid, list) in containersByPod)
        {
            if (!result.ContainsKey(podUid))
            {
                var labels = list[0].Labels;
                result[podUid] = new RuntimePod(podUid, labels.GetValueOrDefault(KubeletLabels.PodNamespace) ?? "", labels.GetValueOrDefault(KubeletLabels.PodName) ?? "", [], list);
            }
        }

        return result;
    }

    private static string Fingerprint(RuntimePod pod) =>
        string.Join(';', pod.Sandboxes.Select(s => $"{s.Id}:{(int)s.State}").Concat(pod.Containers.Select(c => $"{c.Id}:{(int)c.State}")));
}
