using Korral.Api.Models.CoreV1;
using Korral.Client;
using Korral.Client.Informers;
using Korral.Controllers.NodeLifecycle;

namespace Korral.Controllers.Tests.NodeLifecycle;

/// <summary>
/// Applies the controller's writes to the seeded caches (as the informers would deliver them) and records each as a
/// line: "status n1", "taints n1 +k:NoExecute -k2:NoExecute", "labels n1", "pod ns/p".
/// </summary>
public sealed class FakeNodeLifecycleWriter(Indexer<Node> nodes, Indexer<Pod> pods) : INodeLifecycleWriter
{
    private int _version = 1000;

    public List<string> Writes { get; } = [];

    /// <summary>When set, pod status writes throw this.</summary>
    public Exception? PodStatusFailure { get; set; }

    public Task<Node> UpdateNodeStatusAsync(Node node, CancellationToken cancellationToken)
    {
        var stored = KubeObject.Clone(nodes.Get(null, node.Metadata!.Name!)!);
        stored.Status = KubeObject.Clone(node).Status;
        Store(stored);
        Record($"status {node.Metadata.Name}");
        return Task.FromResult(stored);
    }

    public Task<bool> SwapTaintsAsync(string nodeName, IReadOnlyList<Taint> add, IReadOnlyList<Taint> remove, CancellationToken cancellationToken)
    {
        if (nodes.Get(null, nodeName) is not { } current)
        {
            return Task.FromResult(false);
        }

        var node = KubeObject.Clone(current);
        node.Spec ??= new NodeSpec();
        var taints = (node.Spec.Taints ?? []).Where(t => !NodeTaints.Has(remove, t.Key!, t.Effect!)).ToList();
        var removed = (node.Spec.Taints?.Count ?? 0) - taints.Count;
        var added = NodeTaints.Minus(add, taints);
        taints.AddRange(added);
        if (removed == 0 && added.Count == 0)
        {
            return Task.FromResult(true);
        }

        node.Spec.Taints = taints;
        Store(node);
        Record($"taints {nodeName} {string.Join(" ", added.Select(t => $"+{t.Key}:{t.Effect}").Concat(remove.Where(r => NodeTaints.Has(current.Spec?.Taints, r.Key!, r.Effect!)).Select(t => $"-{t.Key}:{t.Effect}")))}");
        return Task.FromResult(true);
    }

    public Task PatchNodeLabelsAsync(string nodeName, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        var node = KubeObject.Clone(nodes.Get(null, nodeName)!);
        node.Metadata!.Labels ??= new Dictionary<string, string>();
        foreach (var (k, v) in labels)
        {
            node.Metadata.Labels[k] = v;
        }

        Store(node);
        Record($"labels {nodeName} {string.Join(",", labels.OrderBy(l => l.Key).Select(l => $"{l.Key}={l.Value}"))}");
        return Task.FromResult(true);
    }

    public Task<Pod?> UpdatePodStatusAsync(Pod pod, CancellationToken cancellationToken)
    {
        if (PodStatusFailure is { } failure)
        {
            throw failure;
        }

        var key = KubeObject.Key(pod);
        if (pods.Get(key) is null)
        {
            return Task.FromResult<Pod?>(null);
        }

        var stored = KubeObject.Clone(pod);
        stored.Metadata!.ResourceVersion = $"{++_version}";
        pods.Upsert(stored);
        Record($"pod {key}");
        return Task.FromResult<Pod?>(stored);
    }

    private void Store(Node node)
    {
        node.Metadata!.ResourceVersion = $"{++_version}";
        nodes.Upsert(node);
    }

    private void Record(string line)
    {
        lock (Writes)
        {
            Writes.Add(line);
        }
    }
}
