using Korral.Api.Models.CoreV1;
using Korral.Api.Models.StorageV1;
using Korral.Client;
using Korral.Client.Informers;
using Korral.Client.Queues;
using Korral.Controllers.Manager;

namespace Korral.Controllers.Volumes;

/// <summary>
/// The part of upstream's PV controller ("persistentvolume-binder") Korral's workloads need: it binds a claim to the
/// volume whose claimRef names it (a provisioned or pre-bound volume), hands a claim of a provisioning class to the
/// class's provisioner once the claim may be provisioned (WaitForFirstConsumer: once the scheduler picked a node), and
/// keeps volume phases: Available without a claim, Bound, Released once the claim is gone. Matching a claim against
/// Available volumes by size and class (static binding of Immediate claims), recycling and in-tree deleters are not
/// here; the scheduler's VolumeBinding plugin binds static volumes for WaitForFirstConsumer claims itself.
/// </summary>
public sealed partial class PersistentVolumeController : IController
{
    public const string ControllerName = "persistentvolume-binder";

    private readonly ControllerContext _context;
    private readonly SharedInformer<PersistentVolumeClaim> _claims;
    private readonly SharedInformer<PersistentVolume> _volumes;
    private readonly SharedInformer<StorageClass> _classes;
    private readonly RateLimitingQueue<string> _claimQueue;
    private readonly RateLimitingQueue<string> _volumeQueue;

    public PersistentVolumeController(ControllerContext context)
    {
        _context = context;
        _claimQueue = new RateLimitingQueue<string>(RateLimiters.DefaultController<string>(context.Time), context.Time);
        _volumeQueue = new RateLimitingQueue<string>(RateLimiters.DefaultController<string>(context.Time), context.Time);
        _claims = context.Informers.Informer<PersistentVolumeClaim>();
        _volumes = context.Informers.Informer<PersistentVolume>();
        _classes = context.Informers.Informer<StorageClass>();
        _claims.AddEventHandler(
            onAdd: c => _claimQueue.Add(KubeObject.Key(c)),
            onUpdate: (_, c) => _claimQueue.Add(KubeObject.Key(c)),
            onDelete: c =>
            {
                // The volume it was bound to is released.
                if (c.Spec?.VolumeName is { Length: > 0 } volume)
                {
                    _volumeQueue.Add(volume);
                    return;
                }

                // The claim's last cached version may predate its binding: find volumes claimed by its UID (claim
                // deletions are rare, so a scan of the volume cache is cheap enough).
                var uid = c.Metadata?.Uid;
                foreach (var v in _volumes.Lister.List())
                {
                    if (uid is not null && v.Spec?.ClaimRef?.Uid == uid)
                    {
                        _volumeQueue.Add(v.Metadata?.Name ?? "");
                    }
                }
            });
        _volumes.AddEventHandler(onAdd: VolumeChanged, onUpdate: (_, v) => VolumeChanged(v), onDelete: VolumeChanged);
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
            QueueWorkers.RunAsync(_volumeQueue, workers, SyncVolumeAsync, _context.Log, cancellationToken),
            QueueWorkers.RunAsync(_claimQueue, workers, SyncClaimAsync, _context.Log, cancellationToken));
    }

    private void VolumeChanged(PersistentVolume volume)
    {
        _volumeQueue.Add(volume.Metadata?.Name ?? "");

        // A volume that appeared for a claim (a provisioner's, or pre-bound) lets the claim bind.
        if (VolumeClaims.ClaimKey(volume) is { } claim)
        {
            _claimQueue.Add(claim);
        }
    }

    private ResourceClient<PersistentVolumeClaim> ClaimApi => _context.Client.Resource<PersistentVolumeClaim>();

    private ResourceClient<PersistentVolume> VolumeApi => _context.Client.Resource<PersistentVolume>();
}
