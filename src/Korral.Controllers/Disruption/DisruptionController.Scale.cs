using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Api.Models.PolicyV1;
using Korral.Api.Resources;
using Korral.Controllers.Common;

namespace Korral.Controllers.Disruption;

/// <summary>
/// How many pods a budget expects and how many must be healthy: minAvailable as a number counts the selected pods;
/// a percentage, and maxUnavailable, need the sum of the scales of the pods' controllers (a Deployment through its
/// ReplicaSet, a ReplicaSet of its own, a StatefulSet, a ReplicationController).
/// </summary>
public sealed partial class DisruptionController
{
    /// <summary>The expected pod count, the healthy pods desired, and the selected pods no controller owns.</summary>
    internal (int Expected, int DesiredHealthy, List<string> Unmanaged) ExpectedPodCount(PodDisruptionBudget budget, List<Pod> pods)
    {
        var spec = budget.Spec;
        if (spec?.MaxUnavailable is { } maxUnavailable)
        {
            var (expected, unmanaged) = ExpectedScale(pods);
            var desired = Math.Max(0, expected - maxUnavailable.GetScaledValue(expected, roundUp: true));
            return (expected, desired, unmanaged);
        }

        if (spec?.MinAvailable is { } minAvailable)
        {
            if (minAvailable.IsInt)
            {
                return (pods.Count, minAvailable.IntValue, []);
            }

            var (expected, unmanaged) = ExpectedScale(pods);
            return (expected, minAvailable.GetScaledValue(expected, roundUp: true), unmanaged);
        }

        return (0, 0, []);
    }

    /// <summary>
    /// The sum of the scales of the controllers of <paramref name="pods"/>, each controller once. Pods without a
    /// controller are reported, not counted; a controller that cannot be found is an error.
    /// </summary>
    private (int Expected, List<string> Unmanaged) ExpectedScale(List<Pod> pods)
    {
        var scales = new Dictionary<string, int>(StringComparer.Ordinal);
        var unmanaged = new List<string>();
        foreach (var pod in pods)
        {
            var owner = OwnerRefs.ControllerOf(pod.Metadata);
            if (owner is null)
            {
                unmanaged.Add(pod.Metadata?.Name ?? "");
                continue;
            }

            if (owner.Uid is { } uid && scales.ContainsKey(uid))
            {
                continue;
            }

            var found = FindControllerScale(owner, pod.Metadata?.Namespace ?? "")
                ?? throw new InvalidOperationException($"found no controllers for pod \"{pod.Metadata?.Name}\"");
            scales[found.Uid] = found.Scale;
        }

        return (scales.Values.Sum(), unmanaged);
    }

    /// <summary>
    /// Upstream's finders in their order: ReplicationController, Deployment (through a ReplicaSet it controls), a
    /// ReplicaSet no Deployment controls, StatefulSet, then the scale subresource of any controller — answered here from
    /// the caches, since every built-in kind with a scale subresource has one. Null when the controller is not (or no
    /// longer) there; kinds that cannot have a scale fail as upstream's scale lookup does.
    /// </summary>
    private (string Uid, int Scale)? FindControllerScale(OwnerReference owner, string ns)
    {
        var group = GroupOf(owner.ApiVersion);
        var name = owner.Name ?? "";
        switch (owner.Kind, group)
        {
            case ("ReplicationController", ""):
                return Scale(_replicationControllers.Get(ns, name), owner, rc => rc.Metadata, rc => rc.Spec?.Replicas);
            case ("ReplicaSet", "apps" or "extensions"):
                var rs = _replicaSets.Get(ns, name);
                if (Scale(rs, owner, r => r.Metadata, r => r.Spec?.Replicas) is not { } own)
                {
                    return null;
                }

                // A Deployment's ReplicaSet counts with the Deployment's scale, or with its own once the Deployment is gone.
                return OwnerRefs.ControllerOf(rs!.Metadata) is { Kind: "Deployment" } d && GroupOf(d.ApiVersion) is "apps" or "extensions"
                    ? Scale(_deployments.Get(ns, d.Name ?? ""), d, x => x.Metadata, x => x.Spec?.Replicas) ?? own
                    : own;
            case ("StatefulSet", "apps"):
                return Scale(_statefulSets.Get(ns, name), owner, s => s.Metadata, s => s.Spec?.Replicas);
            case ("Deployment", "apps" or "extensions"):
                return Scale(_deployments.Get(ns, name), owner, d => d.Metadata, d => d.Spec?.Replicas);
            default:
                var version = owner.ApiVersion?.Contains('/', StringComparison.Ordinal) == true ? owner.ApiVersion.Split('/')[1] : owner.ApiVersion ?? "";
                throw BuiltinResources.Instance.FindByKind(group, version, owner.Kind ?? "") is { } resource
                    ? new InvalidOperationException($"{resource.QualifiedName} does not implement the scale subresource")
                    : new InvalidOperationException($"no matches for kind \"{owner.Kind}\" in group \"{group}\"");
        }
    }

    private static (string Uid, int Scale)? Scale<T>(T? controller, OwnerReference owner, Func<T, ObjectMeta?> meta, Func<T, int?> replicas)
        where T : class =>
        controller is not null && meta(controller)?.Uid is { } uid && uid == owner.Uid ? (uid, replicas(controller) ?? 1) : null;

    private static string GroupOf(string? apiVersion) =>
        apiVersion is { } v && v.IndexOf('/', StringComparison.Ordinal) is var slash and >= 0 ? v[..slash] : "";
}
