using Korral.Api.Models.CoreV1;
using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Plugins.NodeAffinity;

/// <summary>
/// What a node must satisfy for the pod: every <c>spec.nodeSelector</c> label, and (when present) one of the required
/// node affinity terms. Upstream's RequiredNodeAffinity; compiled once per scheduling cycle in PreFilter.
/// </summary>
public sealed class RequiredNodeAffinity
{
    private readonly KeyValuePair<string, string>[] _nodeSelector;
    private readonly NodeSelectorMatcher? _affinity;

    private RequiredNodeAffinity(KeyValuePair<string, string>[] nodeSelector, NodeSelectorMatcher? affinity)
    {
        _nodeSelector = nodeSelector;
        _affinity = affinity;
    }

    public static RequiredNodeAffinity For(Pod pod)
    {
        var selector = pod.Spec?.NodeSelector is { Count: > 0 } s ? s.ToArray() : [];
        var required = pod.Spec?.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution;
        return new RequiredNodeAffinity(selector, required is null ? null : NodeSelectorMatcher.Compile(required));
    }

    /// <summary>
    /// Whether the node satisfies the selector and affinity. Terms that did not parse simply do not match: upstream
    /// ignores the parse error here for backwards compatibility (the API server rejects such pods anyway).
    /// </summary>
    public bool Matches(NodeInfo node)
    {
        var labels = node.Labels;
        for (var i = 0; i < _nodeSelector.Length; i++)
        {
            if (!labels.TryGetValue(_nodeSelector[i].Key, out var value) || !string.Equals(value, _nodeSelector[i].Value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return _affinity is null || _affinity.Matches(labels, node.Name);
    }
}
