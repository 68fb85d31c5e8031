using Korral.Api.Models;
using Korral.Api.Models.CoreV1;
using Korral.Client;

namespace Korral.Controllers.NodeLifecycle;

/// <summary><see cref="INodeLifecycleWriter"/> through the API.</summary>
public sealed class ApiNodeLifecycleWriter(KubeClient client) : INodeLifecycleWriter
{
    /// <summary>Conflicting taint writes are tried again this many times (upstream's retry.DefaultBackoff has 5 steps).</summary>
    private const int TaintAttempts = 5;

    public Task<Node> UpdateNodeStatusAsync(Node node, CancellationToken cancellationToken) =>
        client.Resource<Node>().UpdateStatusAsync(node, cancellationToken);

    public async Task<bool> SwapTaintsAsync(string nodeName, IReadOnlyList<Taint> add, IReadOnlyList<Taint> remove, CancellationToken cancellationToken)
    {
        var nodes = client.Resource<Node>();
        for (var attempt = 1; ; attempt++)
        {
            var node = await nodes.TryGetAsync(null, nodeName, cancellationToken);
            if (node is null)
            {
                return false;
            }

            var current = node.Spec?.Taints ?? [];
            var next = current.Where(t => !NodeTaints.Has(remove, t.Key ?? "", t.Effect ?? "")).ToList();
            next.AddRange(NodeTaints.Minus(add, next));
            if (next.Count == current.Count && next.All(t => current.Contains(t)))
            {
                return true;
            }

            // The whole list with the resourceVersion read: a merge patch replaces the list, and a stale read is a 409.
            var patch = KubeJson.Serialize(new { metadata = new { resourceVersion = node.Metadata?.ResourceVersion }, spec = new { taints = next } });
            try
            {
                await nodes.PatchAsync(null, nodeName, PatchType.Merge, patch, cancellationToken);
                return true;
            }
            catch (KubeApiException e) when (e.IsConflict && attempt < TaintAttempts)
            {
            }
            catch (KubeApiException e) when (e.IsNotFound)
            {
                return false;
            }
        }
    }

    public Task PatchNodeLabelsAsync(string nodeName, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken) =>
        client.Resource<Node>().PatchAsync(null, nodeName, PatchType.Merge, KubeJson.Serialize(new { metadata = new { labels } }), cancellationToken);

    public async Task<Pod?> UpdatePodStatusAsync(Pod pod, CancellationToken cancellationToken)
    {
        try
        {
            return await client.Resource<Pod>().UpdateStatusAsync(pod, cancellationToken);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }
}
