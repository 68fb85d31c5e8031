using Korral.Api.Models;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Api.Models.StorageV1;
using Korral.Client;
using Korral.Client.Events;
using Korral.Client.Informers;
using Korral.Client.Queues;
using Korral.Controllers.Manager;

namespace Korral.Controllers.Volumes;

/// <summary>
/// What k3s runs as the local-path-provisioner deployment, as a controller: for a claim handed to
/// <c>rancher.io/local-path</c> (by the PV controller) with a node chosen by the scheduler, it creates the volume
/// <c>pvc-&lt;claim uid&gt;</c>, a DirectoryOrCreate hostPath under <see cref="StorageRoot"/> pinned to that node, which
/// the PV controller then binds. When such a volume is Released with reclaim policy Delete it deletes it. Making and
/// removing the directory is the node's business (the kubelet creates it on mount); removing the data of a deleted
/// volume is not done.
/// </summary>
public sealed class LocalPathProvisioner : IController
{
    public const string ControllerName = "local-path-provisioner";

    /// <summary>The provisioner name the default class names.</summary>
    public const string ProvisionerName = "rancher.io/local-path";

    /// <summary>Where the volumes live on the nodes (k3s: /var/lib/rancher/k3s/storage).</summary>
    public const string StorageRoot = "/var/lib/korral/storage";

    private readonly ControllerContext _context;
    private readonly SharedInformer<PersistentVolumeClaim> _claims;
    private readonly SharedInformer<PersistentVolume> _volumes;
    private readonly SharedInformer<StorageClass> _classes;
    private readonly RateLimitingQueue<string> _claimQueue;
    private readonly RateLimitingQueue<string> _volumeQueue;

    public LocalPathProvisioner(ControllerContext context)
    {
        _context = context;
        _claimQueue = new RateLimitingQueue<string>(RateLimiters.DefaultController<string>(context.Time), context.Time);
        _volumeQueue = new RateLimitingQueue<string>(RateLimiters.DefaultController<string>(context.Time), context.Time);
        _claims = context.Informers.Informer<PersistentVolumeClaim>();
        _volumes = context.Informers.Informer<PersistentVolume>();
        _classes = context.Informers.Informer<StorageClass>();
        _claims.AddEventHandler(onAdd: c => _claimQueue.Add(KubeObject.Key(c)), onUpdate: (_, c) => _claimQueue.Add(KubeObject.Key(c)));
        _volumes.AddEventHandler(onAdd: v => _volumeQueue.Add(v.Metadata?.Name ?? ""), onUpdate: (_, v) => _volumeQueue.Add(v.Metadata?.Name ?? ""));
    }

    public string Name => ControllerName;

    public async Task RunAsync(int workers, CancellationToken cancellationToken)
    {
        try
        {
            await _claims.WaitForSyncAsync(cancellationToken);
            await _volumes.WaitForSyncAsync(cancellationToken);
            await _classes.WaitForSyncAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            _claimQueue.ShutDown();
            _volumeQueue.ShutDown();
            return;
        }

        await Task.WhenAll(
            QueueWorkers.RunAsync(_claimQueue, workers, SyncClaimAsync, _context.Log, cancellationToken),
            QueueWorkers.RunAsync(_volumeQueue, workers, SyncVolumeAsync, _context.Log, cancellationToken));
    }

    /// <summary>The volume's name for a claim, as upstream's provisioning library names it.</summary>
    public static string VolumeName(PersistentVolumeClaim claim) => "pvc-" + claim.Metadata?.Uid;

    /// <summary>The directory on the node: pvc-&lt;uid&gt;_&lt;namespace&gt;_&lt;claim name&gt;, as local-path-provisioner lays it out.</summary>
    public static string VolumePath(PersistentVolumeClaim claim) =>
        $"{StorageRoot}/{VolumeName(claim)}_{claim.Metadata?.Namespace}_{claim.Metadata?.Name}";

    public async Task SyncClaimAsync(string key, CancellationToken cancellationToken)
    {
        if (_claims.Lister.Get(key) is not { } claim || claim.Metadata?.DeletionTimestamp is not null ||
            !string.IsNullOrEmpty(claim.Spec?.VolumeName) || string.IsNullOrEmpty(claim.Metadata?.Uid))
        {
            return;
        }

        // Only claims the PV controller handed to this provisioner, for a node the scheduler chose.
        if (VolumeClaims.Provisioner(claim) != ProvisionerName ||
            VolumeClaims.Annotation(claim, VolumeAnnotations.SelectedNode) is not { Length: > 0 } node ||
            _classes.Lister.Get(null, VolumeClaims.ClassName(claim)) is not { Provisioner: ProvisionerName } storageClass)
        {
            return;
        }

        var name = VolumeName(claim);
        if (_volumes.Lister.Get(null, name) is not null)
        {
            return;
        }

        _context.Events.Event(claim, EventTypes.Normal, "Provisioning", $"External provisioner is provisioning volume for claim \"{key}\"");
        if (claim.Spec?.Selector is not null)
        {
            _context.Events.Event(claim, EventTypes.Warning, "ProvisioningFailed", "failed to provision volume with StorageClass \"" +
                storageClass.Metadata?.Name + "\": claim Selector is not supported");
            return;
        }

        try
        {
            await _context.Client.Resource<PersistentVolume>().CreateAsync(NewVolume(claim, storageClass, node), cancellationToken);
        }
        catch (KubeApiException e) when (e.IsAlreadyExists)
        {
            // Created by an earlier attempt whose answer was lost; the cache has not shown it yet.
            return;
        }

        _context.Log($"{ControllerName}: provisioned volume {name} for claim {key} on node {node}");
        _context.Events.Event(claim, EventTypes.Normal, "ProvisioningSucceeded", $"Successfully provisioned volume {name}");
    }

    /// <summary>Deletes a Released volume of this provisioner whose reclaim policy is Delete.</summary>
    public async Task SyncVolumeAsync(string name, CancellationToken cancellationToken)
    {
        if (_volumes.Lister.Get(null, name) is not { } volume || volume.Metadata?.DeletionTimestamp is not null ||
            volume.Status?.Phase != VolumeAnnotations.PhaseReleased || volume.Spec?.PersistentVolumeReclaimPolicy != "Delete" ||
            volume.Metadata?.Annotations?.TryGetValue(VolumeAnnotations.ProvisionedBy, out var by) != true || by != ProvisionerName)
        {
            return;
        }

        try
        {
            await _context.Client.Resource<PersistentVolume>().DeleteAsync(null, name, cancellationToken);
            _context.Log($"{ControllerName}: deleted released volume {name}");
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
        }
    }

    private static PersistentVolume NewVolume(PersistentVolumeClaim claim, StorageClass storageClass, string node) => new()
    {
        Metadata = new ObjectMeta
        {
            Name = VolumeName(claim),
            Annotations = new Dictionary<string, string> { [VolumeAnnotations.ProvisionedBy] = ProvisionerName },
        },
        Spec = new PersistentVolumeSpec
        {
            AccessModes = claim.Spec?.AccessModes?.ToList(),
            Capacity = claim.Spec?.Resources?.Requests is { } requests && requests.TryGetValue("storage", out var size)
                ? new Dictionary<string, Quantity> { ["storage"] = size }
                : null,
            ClaimRef = KubeObject.Reference(claim),
            HostPath = new HostPathVolumeSource { Path = VolumePath(claim), Type = "DirectoryOrCreate" },
            MountOptions = storageClass.MountOptions?.ToList(),
            NodeAffinity = new VolumeNodeAffinity
            {
                Required = new NodeSelector
                {
                    NodeSelectorTerms =
                    [
                        new NodeSelectorTerm
                        {
                            MatchExpressions = [new NodeSelectorRequirement { Key = "kubernetes.io/hostname", Operator = "In", Values = [node] }],
                        },
                    ],
                },
            },
            PersistentVolumeReclaimPolicy = storageClass.ReclaimPolicy ?? "Delete",
            StorageClassName = storageClass.Metadata?.Name,
            VolumeMode = claim.Spec?.VolumeMode ?? "Filesystem",
        },
    };
}
