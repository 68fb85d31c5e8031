using Korral.Api.Models;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Client;

namespace Korral.Controllers.NodeLifecycle;

/// <summary><see cref="ITaintEvictionWriter"/> through the API, as upstream's addConditionAndDeletePod.</summary>
public sealed class ApiTaintEvictionWriter(KubeClient client, TimeProvider time) : ITaintEvictionWriter
{
    public const string DisruptionTarget = "DisruptionTarget";
    public const string Reason = "DeletionByTaintManager";
    public const string Message = "Taint manager: deleting due to NoExecute taint";

    public async Task<bool> EvictAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var pods = client.Resource<Pod>();
        var pod = await pods.TryGetAsync(ns, name, cancellationToken);
        if (pod is null)
        {
            return false;
        }

        var uid = pod.Metadata?.Uid;
        var existing = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == DisruptionTarget);
        if (existing is not { Status: "True", Reason: Reason, Message: Message })
        {
            var condition = new PodCondition
            {
                Type = DisruptionTarget,
                Status = "True",
                Reason = Reason,
                Message = Message,
                LastTransitionTime = existing?.Status == "True" ? existing.LastTransitionTime : time.GetUtcNow(),
            };

            // A strategic merge patch merges conditions by type; the uid keeps it off a pod recreated under the same name.
            var patch = KubeJson.Serialize(new { metadata = new { uid }, status = new { conditions = new[] { condition } } });
            try
            {
                await pods.PatchStatusAsync(ns, name, PatchType.StrategicMerge, patch, cancellationToken);
            }
            catch (KubeApiException e) when (e.IsNotFound)
            {
                return false;
            }
        }

        try
        {
            await pods.DeleteAsync(ns, name, new DeleteOptions { Preconditions = new Preconditions { Uid = uid } }, cancellationToken);
            return true;
        }
        catch (KubeApiException e) when (e.IsNotFound || e.IsConflict)
        {
            // Gone, or replaced by a pod of the same name that this eviction is not about.
            return false;
        }
    }
}
