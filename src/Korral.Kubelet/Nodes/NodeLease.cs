using Korral.Api.Models;
using Korral.Api.Models.CoordinationV1;
using Korral.Api.Models.MetaV1;
using Korral.Client;

namespace Korral.Kubelet.Nodes;

/// <summary>
/// One node's heartbeat Lease in kube-node-lease, owned by its Node (so it goes with it): renewed with a merge patch of
/// renewTime, created when missing. Used by real and simulated nodes alike; one instance per node, not thread-safe.
/// </summary>
public sealed class NodeLease(KubeClient client, string nodeName, int durationSeconds, TimeProvider time)
{
    public const string Namespace = "kube-node-lease";

    private bool _exists;

    /// <summary>The Node's UID, set once registered: the Lease's owner.</summary>
    public string? NodeUid { get; set; }

    public async Task RenewAsync(CancellationToken cancellationToken)
    {
        var api = client.Resource<Lease>();
        var now = time.GetUtcNow();
        if (_exists)
        {
            try
            {
                await api.PatchAsync(Namespace, nodeName, PatchType.Merge,
                    KubeJson.Serialize(new { spec = new LeaseSpec { RenewTime = now, HolderIdentity = nodeName } }), cancellationToken);
                return;
            }
            catch (KubeApiException e) when (e.IsNotFound)
            {
                _exists = false;
            }
        }

        var lease = new Lease
        {
            Metadata = new ObjectMeta
            {
                Name = nodeName,
                Namespace = Namespace,
                OwnerReferences = NodeUid is null ? null : [new OwnerReference { ApiVersion = "v1", Kind = "Node", Name = nodeName, Uid = NodeUid }],
            },
            Spec = new LeaseSpec { HolderIdentity = nodeName, LeaseDurationSeconds = durationSeconds, RenewTime = now },
        };
        try
        {
            await api.CreateAsync(lease, cancellationToken);
        }
        catch (KubeApiException e) when (e.IsAlreadyExists)
        {
            await api.PatchAsync(Namespace, nodeName, PatchType.Merge,
                KubeJson.Serialize(new { spec = new LeaseSpec { RenewTime = now, HolderIdentity = nodeName, LeaseDurationSeconds = durationSeconds } }),
                cancellationToken);
        }

        _exists = true;
    }
}
