using System.Text.Json.Nodes;
using Korral.Api.Models;
using Korral.Api.Models.CoreV1;
using Korral.Api.Patching;
using Korral.Api.Schema;
using Korral.Client;

namespace Korral.Kubelet.Status;

/// <summary>
/// The body of the PATCH to pods/status that writes a computed status, as the upstream status manager sends it: a
/// strategic merge patch from the pod's current status to the new one, with the pod's UID in metadata so that a pod
/// deleted and recreated under the same name is not given the old pod's status.
/// </summary>
/// <remarks>
/// Strategic merge is what makes a partial body safe: conditions merge by type and podIPs by ip (with
/// <c>$setElementOrder</c> keeping the kubelet's order), conditions set by others are left alone, and containerStatuses
/// and initContainerStatuses, which have no merge key, are replaced whole.
/// </remarks>
public static class PodStatusPatch
{
    /// <summary>The patch type to send <see cref="Create"/>'s body with.</summary>
    public const PatchType Type = PatchType.StrategicMerge;

    private const string PodSchema = "io.k8s.api.core.v1.Pod";

    /// <summary>
    /// The patch turning <c>pod.Status</c> into <paramref name="status"/>, or null when there is nothing to change.
    /// Conditions owned by others are taken from <c>pod.Status</c> (the freshest copy the caller has), the kubelet's own
    /// from <paramref name="status"/>.
    /// </summary>
    public static string? Create(Pod pod, PodStatus status, ISchemaCatalog? schemas = null)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(status);

        var current = pod.Status ?? new PodStatus();
        var merged = StatusValues.Clone(status);
        merged.Conditions = MergeConditions(current, status);

        var original = new JsonObject { ["status"] = KubeJson.ToNode(current) };
        var modified = new JsonObject { ["status"] = KubeJson.ToNode(merged) };
        if (pod.Metadata?.Uid is { Length: > 0 } uid)
        {
            modified["metadata"] = new JsonObject { ["uid"] = uid };
        }

        var patch = new StrategicMergePatch(schemas ?? GeneratedSchemaCatalog.Instance).CreateTwoWayMergePatch(original, modified, PodSchema);
        return patch.ContainsKey("status") ? patch.ToJsonString() : null;
    }

    private static List<PodCondition> MergeConditions(PodStatus current, PodStatus status)
    {
        var conditions = (current.Conditions ?? []).Where(c => !StatusReasons.OwnedByKubelet(c.Type)).Select(StatusValues.Clone).ToList();
        foreach (var condition in status.Conditions ?? [])
        {
            if (StatusReasons.OwnedByKubelet(condition.Type))
            {
                conditions.Add(StatusValues.Clone(condition));
            }
            else if (StatusReasons.SharedByKubelet(condition.Type) && conditions.All(c => c.Type != condition.Type))
            {
                conditions.Add(StatusValues.Clone(condition));
            }
        }

        return conditions;
    }
}
