using Korral.Api.Models.CoreV1;
using Korral.Client;
using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Plugins.VolumeBinding;

internal sealed partial class VolumeBinder
{
    /// <summary>How often PreBind re-checks even without an informer event (upstream polls every second).</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Upstream's BindPodVolumes: writes the assumed volumes (claimRef) and claims (selected-node), then — Korral has no
    /// PV controller — completes static bindings as that controller would, then waits until the informers show every
    /// claim fully bound. Returns the error text, or null on success.
    /// </summary>
    public async Task<string?> BindPodVolumesAsync(PodInfo pod, string nodeName, PodVolumes volumes, CancellationToken cancellationToken)
    {
        if (await BindApiUpdateAsync(volumes, cancellationToken) is { } error)
        {
            return error;
        }

        if (_completer is not null && volumes.StaticBindings.Count > 0)
        {
            var completed = new List<BindingInfo>(volumes.StaticBindings.Count);
            try
            {
                foreach (var binding in volumes.StaticBindings)
                {
                    // Starts from the claim as the informer has it now: fewer conflicts than the copy PreFilter read.
                    var latest = Claims.GetApi(KubeObject.Key(binding.Claim));
                    completed.Add(await _completer.CompleteAsync(binding, latest, cancellationToken));
                    _log($"VolumeBinding: bound claim {KubeObject.Key(binding.Claim)} to volume {binding.Volume.Metadata?.Name} for pod {pod.Key}");
                }
            }
            catch (Exception e) when (e is KubeApiException or VolumeBindingException or HttpRequestException or TimeoutException)
            {
                return $"binding volumes: {ErrorText(e)}";
            }

            volumes.StaticBindings = completed;
        }

        return await WaitForBindingsAsync(nodeName, volumes, cancellationToken);
    }

    // Upstream's bindAPIUpdate: volumes first, then claims; what was not written is dropped from the assume caches.
    private async Task<string?> BindApiUpdateAsync(PodVolumes volumes, CancellationToken cancellationToken)
    {
        var bindings = volumes.StaticBindings.ToList();
        var provisions = volumes.DynamicProvisions.ToList();
        var (writtenVolumes, writtenClaims) = (0, 0);
        try
        {
            for (; writtenVolumes < bindings.Count; writtenVolumes++)
            {
                var binding = bindings[writtenVolumes];
                bindings[writtenVolumes] = binding with { Volume = await _api.UpdateVolumeAsync(binding.Volume, cancellationToken) };
            }

            for (; writtenClaims < provisions.Count; writtenClaims++)
            {
                provisions[writtenClaims] = await _api.UpdateClaimAsync(provisions[writtenClaims], cancellationToken);
            }

            return null;
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or TimeoutException)
        {
            return ErrorText(e);
        }
        finally
        {
            Revert(bindings[writtenVolumes..], provisions[writtenClaims..]);
            volumes.StaticBindings = bindings;
            volumes.DynamicProvisions = provisions;
        }
    }

    /// <summary>What upstream's error would say: for an API error the server's message, without Korral's code prefix.</summary>
    private static string ErrorText(Exception e) =>
        e is KubeApiException { Status.Message: { Length: > 0 } message } ? message : e.Message;

    private async Task<string?> WaitForBindingsAsync(string nodeName, PodVolumes volumes, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(_bindTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        while (true)
        {
            // Taken before the check: a change that lands during the check still wakes the wait below.
            var changed = Changes.Next();
            var (done, error) = CheckBindings(nodeName, volumes);
            if (error is not null)
            {
                return $"binding volumes: {error}";
            }

            if (done)
            {
                return null;
            }

            try
            {
                await changed.WaitAsync(PollInterval, _time, linked.Token);
            }
            catch (TimeoutException)
            {
                // Poll anyway, as upstream does: the node's labels can change without a volume event.
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return "binding volumes: context deadline exceeded";
            }
        }
    }

    /// <summary>
    /// Upstream's checkBindings, on the informers' versions (never assumed ones): done when every claim is fully bound;
    /// an error when the binding was undone (claimRef reset, selected-node removed by a failed provisioner) or the volume
    /// no longer fits the node. Upstream also stops early when the pod has been deleted; this plugin does not watch pods
    /// (that would be a second pod cache), so a deleted pod's PreBind ends when the binding completes, fails or times out.
    /// </summary>
    private (bool Done, string? Error) CheckBindings(string nodeName, PodVolumes volumes)
    {
        if (_sources.Nodes.Get(nodeName) is not { } node)
        {
            return (false, $"failed to get node \"{nodeName}\": node \"{nodeName}\" not found");
        }

        var labels = LabelsOf(node);
        foreach (var binding in volumes.StaticBindings)
        {
            var name = binding.Volume.Metadata?.Name ?? "";
            var claimKey = KubeObject.Key(binding.Claim);
            if (Volumes.GetApi(name) is not { } volume)
            {
                return (false, $"failed to check binding: could not find v1.PersistentVolume \"{name}\"");
            }

            if (Claims.GetApi(claimKey) is not { } claim)
            {
                return (false, $"failed to check binding: could not find v1.PersistentVolumeClaim \"{claimKey}\"");
            }

            // The informer has not caught up with our own write yet.
            if (VolumeRules.Version(binding.Volume) > VolumeRules.Version(volume))
            {
                return (false, null);
            }

            if (!VolumeTopology.VolumeFitsNode(volume, labels))
            {
                return (false, $"pv \"{name}\" node affinity doesn't match node \"{nodeName}\": no matching NodeSelectorTerms");
            }

            if (string.IsNullOrEmpty(volume.Spec?.ClaimRef?.Uid))
            {
                return (false, $"ClaimRef got reset for pv \"{name}\"");
            }

            if (!VolumeRules.IsFullyBound(claim))
            {
                return (false, null);
            }
        }

        foreach (var provision in volumes.DynamicProvisions)
        {
            var claimKey = KubeObject.Key(provision);
            if (Claims.GetApi(claimKey) is not { } claim)
            {
                return (false, $"failed to check provisioning pvc: could not find v1.PersistentVolumeClaim \"{claimKey}\"");
            }

            if (VolumeRules.Version(provision) > VolumeRules.Version(claim))
            {
                return (false, null);
            }

            var name = claim.Metadata?.Name;
            if (claim.Metadata?.Annotations is not { } annotations)
            {
                return (false, $"selectedNode annotation reset for PVC \"{name}\"");
            }

            // A provisioner that fails removes the annotation to hand the claim back to the scheduler.
            if (!annotations.TryGetValue(VolumeAnnotations.SelectedNode, out var selected) || selected != nodeName)
            {
                return (false, $"provisioning failed for PVC \"{name}\"");
            }

            if (claim.Spec?.VolumeName is { Length: > 0 } volumeName)
            {
                // A missing volume is tolerated: the informer may not have it yet.
                if (Volumes.GetApi(volumeName) is not { } volume)
                {
                    return (false, null);
                }

                if (!VolumeTopology.VolumeFitsNode(volume, labels))
                {
                    return (false, $"pv \"{volumeName}\" node affinity doesn't match node \"{nodeName}\": no matching NodeSelectorTerms");
                }
            }

            if (!VolumeRules.IsFullyBound(claim))
            {
                return (false, null);
            }
        }

        return (true, null);
    }
}
