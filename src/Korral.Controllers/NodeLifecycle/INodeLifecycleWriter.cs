using Korral.Api.Models.CoreV1;

namespace Korral.Controllers.NodeLifecycle;

/// <summary>The writes of <see cref="NodeLifecycleController"/> (faked in tests; <see cref="ApiNodeLifecycleWriter"/> in production).</summary>
public interface INodeLifecycleWriter
{
    /// <summary>PUT of the node's status, conditional on its resourceVersion; returns what was stored.</summary>
    Task<Node> UpdateNodeStatusAsync(Node node, CancellationToken cancellationToken);

    /// <summary>
    /// Adds <paramref name="add"/> (a taint whose key and effect are already there is kept as it is) and removes every
    /// taint with the key and effect of one in <paramref name="remove"/>, on the node as stored now (read, change,
    /// conditional write, again on a conflict). Writes nothing when nothing changes; false when the node is gone.
    /// </summary>
    Task<bool> SwapTaintsAsync(string nodeName, IReadOnlyList<Taint> add, IReadOnlyList<Taint> remove, CancellationToken cancellationToken);

    /// <summary>Sets these labels on the node.</summary>
    Task PatchNodeLabelsAsync(string nodeName, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken);

    /// <summary>PUT of the pod's status, conditional on its resourceVersion; null when the pod is gone.</summary>
    Task<Pod?> UpdatePodStatusAsync(Pod pod, CancellationToken cancellationToken);
}
