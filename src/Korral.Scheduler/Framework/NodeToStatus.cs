namespace Korral.Scheduler.Framework;

/// <summary>
/// Why each node was rejected in a cycle. Nodes not listed were never evaluated (a PreFilter narrowed the candidates or
/// rejected the pod outright); they count with <see cref="AbsentNodesStatus"/>.
/// </summary>
public sealed class NodeToStatus
{
    private readonly Dictionary<string, Status> _statuses = new(StringComparer.Ordinal);

    /// <summary>The status of nodes not in the map (UnschedulableAndUnresolvable when a PreFilter excluded them).</summary>
    public Status AbsentNodesStatus { get; set; } = Status.Unresolvable();

    public int Count => _statuses.Count;

    public IEnumerable<KeyValuePair<string, Status>> Entries => _statuses;

    public void Set(string nodeName, Status status) => _statuses[nodeName] = status;

    public Status Get(string nodeName) => _statuses.TryGetValue(nodeName, out var s) ? s : AbsentNodesStatus;

    /// <summary>Nodes whose rejection preemption could change (Unschedulable, not UnschedulableAndUnresolvable).</summary>
    public IEnumerable<NodeInfo> NodesForPreemption(IReadOnlyList<NodeInfo> nodes) =>
        nodes.Where(n => Get(n.Name).Code == StatusCode.Unschedulable);
}
