using Korral.Api.Models.AppsV1;
using Korral.Api.Models.CoreV1;
using Korral.Api.Selectors;
using Korral.Client.Informers;
using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Plugins.PodTopologySpread;

/// <summary>The caches that default spreading constraints take their selector from.</summary>
public sealed record SpreadListers(
    Lister<Service> Services,
    Lister<ReplicationController> ReplicationControllers,
    Lister<ReplicaSet> ReplicaSets,
    Lister<StatefulSet> StatefulSets)
{
    public static SpreadListers From(SharedInformerFactory informers) => new(
        informers.Informer<Service>().Lister,
        informers.Informer<ReplicationController>().Lister,
        informers.Informer<ReplicaSet>().Lister,
        informers.Informer<StatefulSet>().Lister);

    /// <summary>
    /// Upstream's DefaultSelector: the labels of every Service in the pod's namespace whose selector matches the pod,
    /// plus the selector of the ReplicationController, ReplicaSet or StatefulSet controlling it. Empty when nothing selects
    /// the pod. Those objects all select the pod, so their labels cannot conflict.
    /// </summary>
    internal LabelSelector DefaultSelector(PodInfo pod)
    {
        var set = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var service in Services.List(pod.Namespace))
        {
            // A service without a selector selects nothing, not everything.
            if (service.Spec?.Selector is { } selector && SelectsPod(selector, pod))
            {
                Merge(set, selector);
            }
        }

        var result = LabelSelector.FromSet(set);
        var owner = pod.Pod.Metadata?.OwnerReferences?.FirstOrDefault(r => r.Controller == true);
        if (owner?.Name is not { } name)
        {
            return result;
        }

        switch ((owner.ApiVersion, owner.Kind))
        {
            case ("v1", "ReplicationController"):
                if (ReplicationControllers.Get(pod.Namespace, name) is { } rc)
                {
                    Merge(set, rc.Spec?.Selector);
                    result = LabelSelector.FromSet(set);
                }

                break;
            case ("apps/v1", "ReplicaSet"):
                result = WithRequirements(result, ReplicaSets.Get(pod.Namespace, name)?.Spec?.Selector);
                break;
            case ("apps/v1", "StatefulSet"):
                result = WithRequirements(result, StatefulSets.Get(pod.Namespace, name)?.Spec?.Selector);
                break;
            default:
                break;
        }

        return result;
    }

    private static bool SelectsPod(IDictionary<string, string> selector, PodInfo pod)
    {
        foreach (var (key, value) in selector)
        {
            if (!pod.Labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        return true;
    }

    private static void Merge(Dictionary<string, string> into, IDictionary<string, string>? labels)
    {
        foreach (var (key, value) in labels ?? new Dictionary<string, string>())
        {
            into[key] = value;
        }
    }

    private static LabelSelector WithRequirements(LabelSelector selector, Api.Models.MetaV1.LabelSelector? other)
    {
        // A missing or invalid controller selector adds nothing (upstream only adds requirements it could parse).
        if (other is null || !LabelSelector.TryFromLabelSelector(other, out var parsed, out _) || parsed.MatchesNothing)
        {
            return selector;
        }

        return parsed.Requirements.Count == 0 ? selector : selector.Add(parsed.Requirements);
    }
}
