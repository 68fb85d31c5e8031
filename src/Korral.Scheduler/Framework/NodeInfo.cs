using Korral.Api.Models.CoreV1;

namespace Korral.Scheduler.Framework;

/// <summary>
/// A node and the pods on it (bound or assumed), with the sums plugins need kept up to date on every add and remove:
/// requested and non-zero requested resources, used host ports, and the pods that have (anti-)affinity terms. The cache
/// owns the live instances and mutates them under its lock; a scheduling cycle reads <see cref="Clone"/>s in its
/// <see cref="Snapshot"/>, so plugins never see a node change under them.
/// </summary>
public sealed class NodeInfo
{
    private static readonly IReadOnlyDictionary<string, string> NoLabels = new Dictionary<string, string>();

    public NodeInfo(string name) => Name = name;

    public NodeInfo(Node node)
        : this(node.Metadata?.Name ?? "") => SetNode(node);

    public string Name { get; }

    /// <summary>The Node object; null while only pods naming it are known (their node may not be in the cache yet).</summary>
    public Node? Node { get; private set; }

    public IReadOnlyDictionary<string, string> Labels { get; private set; } = NoLabels;

    public IReadOnlyList<Taint> Taints { get; private set; } = [];

    /// <summary><c>spec.unschedulable</c> (kubectl cordon).</summary>
    public bool Unschedulable { get; private set; }

    public Resource Allocatable { get; private set; } = new();

    /// <summary>What the pods on the node request (init containers and overhead included).</summary>
    public Resource Requested { get; private set; } = new();

    /// <summary>CPU and memory requested with unset requests counted as the scoring defaults.</summary>
    public Resource NonZeroRequested { get; private set; } = new();

    public List<PodInfo> Pods { get; private set; } = [];

    public List<PodInfo> PodsWithAffinity { get; private set; } = [];

    public List<PodInfo> PodsWithRequiredAntiAffinity { get; private set; } = [];

    public List<HostPort> UsedPorts { get; private set; } = [];

    /// <summary>Increases on every change; the snapshot copies nodes whose generation moved.</summary>
    public long Generation { get; set; }

    public void SetNode(Node node)
    {
        Node = node;
        Labels = node.Metadata?.Labels is { } l ? new Dictionary<string, string>(l, StringComparer.Ordinal) : NoLabels;
        Taints = node.Spec?.Taints is { } t ? [.. t] : [];
        Unschedulable = node.Spec?.Unschedulable ?? false;
        Allocatable = Resource.From(node.Status?.Allocatable);
    }

    public void RemoveNode()
    {
        Node = null;
        Labels = NoLabels;
        Taints = [];
        Unschedulable = false;
        Allocatable = new Resource();
    }

    public void AddPod(PodInfo pod)
    {
        Pods.Add(pod);
        if (pod.HasAffinity)
        {
            PodsWithAffinity.Add(pod);
        }

        if (pod.HasRequiredAntiAffinity)
        {
            PodsWithRequiredAntiAffinity.Add(pod);
        }

        Requested.Add(pod.Requests);
        NonZeroRequested.MilliCpu += pod.NonZeroMilliCpu;
        NonZeroRequested.Memory += pod.NonZeroMemory;
        UsedPorts.AddRange(pod.HostPorts);
    }

    /// <summary>Removes the pod with <paramref name="pod"/>'s UID; false when it was not on this node.</summary>
    public bool RemovePod(PodInfo pod)
    {
        var index = Pods.FindIndex(p => p.Uid == pod.Uid);
        if (index < 0)
        {
            return false;
        }

        var removed = Pods[index];
        Pods.RemoveAt(index);
        PodsWithAffinity.RemoveAll(p => p.Uid == pod.Uid);
        PodsWithRequiredAntiAffinity.RemoveAll(p => p.Uid == pod.Uid);
        Requested.Subtract(removed.Requests);
        NonZeroRequested.MilliCpu -= removed.NonZeroMilliCpu;
        NonZeroRequested.Memory -= removed.NonZeroMemory;
        foreach (var port in removed.HostPorts)
        {
            UsedPorts.Remove(port);
        }

        return true;
    }

    /// <summary>A copy whose lists and sums can change without touching this one (pod infos are shared, immutable).</summary>
    public NodeInfo Clone() => new(Name)
    {
        Node = Node,
        Labels = Labels,
        Taints = Taints,
        Unschedulable = Unschedulable,
        Allocatable = Allocatable.Clone(),
        Requested = Requested.Clone(),
        NonZeroRequested = NonZeroRequested.Clone(),
        Pods = [.. Pods],
        PodsWithAffinity = [.. PodsWithAffinity],
        PodsWithRequiredAntiAffinity = [.. PodsWithRequiredAntiAffinity],
        UsedPorts = [.. UsedPorts],
        Generation = Generation,
    };

    public override string ToString() => $"{Name} ({Pods.Count} pods, requested {Requested})";
}
