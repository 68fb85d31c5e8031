using Korral.Api.Models.CoreV1;
using Korral.Client;

namespace Korral.Scheduler.Plugins.VolumeBinding;

/// <summary>
/// The plugin's volume logic (upstream's SchedulerVolumeBinder): sorting a pod's claims (PreFilter), finding volumes or
/// provisioning per node (Filter, concurrent), assuming the choice (Reserve), and writing and awaiting the binding
/// (PreBind, <c>VolumeBinder.Bind.cs</c>).
/// </summary>
internal sealed partial class VolumeBinder
{
    /// <summary>Index of the volume cache by storage class (annotation or spec, as <see cref="VolumeRules.VolumeClass"/>).</summary>
    internal const string ByClassIndex = "volumeBinding.storageClass";

    private const string WaitForFirstConsumer = "WaitForFirstConsumer";

    private readonly VolumeBindingSources _sources;
    private readonly IVolumeBindingApi _api;
    private readonly StaticBindingCompleter? _completer;
    private readonly TimeProvider _time;
    private readonly TimeSpan _bindTimeout;
    private readonly Action<string> _log;

    public VolumeBinder(VolumeBindingSources sources, IVolumeBindingApi api, TimeProvider time, Action<string> log, VolumeBindingArgs args)
    {
        _sources = sources;
        _api = api;
        _time = time;
        _log = log;
        _bindTimeout = args.BindTimeout;
        _completer = args.CompleteStaticBindings ? new StaticBindingCompleter(api) : null;
        if (!sources.Volumes.HasIndex(ByClassIndex))
        {
            sources.Volumes.AddIndex(ByClassIndex, v => [VolumeRules.VolumeClass(v)]);
        }

        Claims = new AssumeCache<PersistentVolumeClaim>(sources.Claims, "v1.PersistentVolumeClaim");
        Volumes = new AssumeCache<PersistentVolume>(sources.Volumes, "v1.PersistentVolume");
    }

    public AssumeCache<PersistentVolumeClaim> Claims { get; }

    public AssumeCache<PersistentVolume> Volumes { get; }

    /// <summary>Pulsed on every volume and claim informer event; PreBind waits on it.</summary>
    public ChangeSignal Changes { get; } = new();

    /// <summary>
    /// Upstream's podHasPVCs: whether the pod uses claims (directly or through generic ephemeral volumes) and, if one of
    /// them cannot be used at all (missing, lost, being deleted, an ephemeral claim of another pod), why.
    /// </summary>
    public bool HasClaims(Pod pod, out string? problem)
    {
        problem = null;
        var has = false;
        var ns = pod.Metadata?.Namespace ?? "";
        foreach (var volume in pod.Spec?.Volumes ?? [])
        {
            if (!TryClaimName(pod, volume, out var name, out var ephemeral))
            {
                continue;
            }

            has = true;
            var claim = _sources.Claims.Get(ns, name);
            if (claim is null)
            {
                // The plain message is the lister's NotFound; ephemeral claims are expected to appear a moment after the pod.
                problem = ephemeral
                    ? $"waiting for ephemeral volume controller to create the persistentvolumeclaim \"{name}\""
                    : $"persistentvolumeclaim \"{name}\" not found";
                return true;
            }

            if (claim.Status?.Phase == "Lost")
            {
                problem = $"persistentvolumeclaim \"{name}\" bound to non-existent persistentvolume \"{claim.Spec?.VolumeName}\"";
                return true;
            }

            if (claim.Metadata?.DeletionTimestamp is not null)
            {
                problem = $"persistentvolumeclaim \"{name}\" is being deleted";
                return true;
            }

            if (ephemeral && NotOwnedBy(claim, pod) is { } notOwned)
            {
                problem = notOwned;
                return true;
            }
        }

        return has;
    }

    /// <summary>
    /// Upstream's GetPodVolumeClaims: the pod's claims split into fully bound, unbound WaitForFirstConsumer, and unbound
    /// immediate ones (including claims pre-bound by name but not yet completed), read through the assume cache.
    /// </summary>
    public PodVolumeClaims GetPodVolumeClaims(Pod pod, out bool hasUnboundImmediate)
    {
        hasUnboundImmediate = false;
        var bound = new List<PersistentVolumeClaim>();
        var delayed = new List<PersistentVolumeClaim>();
        var ns = pod.Metadata?.Namespace ?? "";
        foreach (var volume in pod.Spec?.Volumes ?? [])
        {
            if (!TryClaimName(pod, volume, out var name, out var ephemeral))
            {
                continue;
            }

            var key = ObjectKey.Of(ns, name);
            var claim = Claims.Get(key)
                ?? throw new VolumeBindingException($"error getting PVC \"{key}\": could not find v1.PersistentVolumeClaim \"{key}\"");
            if (ephemeral && NotOwnedBy(claim, pod) is { } notOwned)
            {
                throw new VolumeBindingException(notOwned);
            }

            if (VolumeRules.IsFullyBound(claim))
            {
                bound.Add(claim);
            }
            else if (IsDelayBindingMode(claim) && string.IsNullOrEmpty(claim.Spec?.VolumeName))
            {
                delayed.Add(claim);
            }
            else
            {
                hasUnboundImmediate = true;
            }
        }

        var byClass = new Dictionary<string, IReadOnlyList<PersistentVolume>>(StringComparer.Ordinal);
        foreach (var claim in delayed)
        {
            var className = VolumeRules.ClaimClass(claim);
            if (!byClass.ContainsKey(className))
            {
                // Sorted by name so that equal-sized candidates are chosen the same way every time.
                var volumes = Volumes.Latest(_sources.Volumes.ByIndex(ByClassIndex, className));
                volumes.Sort((a, b) => string.CompareOrdinal(a.Metadata?.Name, b.Metadata?.Name));
                byClass[className] = volumes;
            }
        }

        return new PodVolumeClaims
        {
            Bound = bound,
            // Sorted here, once, rather than in every Filter call (stable: equal requests keep the pod's order).
            UnboundDelayBinding = [.. delayed.OrderBy(VolumeRules.RequestedStorage)],
            VolumesByClass = byClass,
        };
    }

    /// <summary>
    /// Upstream's FindPodVolumes for one node: bound claims' volumes must accept the node; each unbound claim needs an
    /// existing volume or a class that can provision on the node. Reasons empty: the node fits.
    /// </summary>
    public (PodVolumes Volumes, IReadOnlyList<string> Reasons) FindPodVolumes(PodVolumeClaims claims, Node node)
    {
        var labels = LabelsOf(node);
        var nodeName = node.Metadata?.Name ?? "";
        var result = new PodVolumes();
        var (boundSatisfied, boundFound, unboundSatisfied) = (true, true, true);
        if (claims.Bound.Count > 0)
        {
            (boundSatisfied, boundFound) = CheckBoundClaims(claims.Bound, labels);
        }

        if (claims.UnboundDelayBinding.Count > 0)
        {
            unboundSatisfied = FindUnboundVolumes(claims, labels, nodeName, result);
        }

        var reasons = new List<string>(2);
        if (!boundSatisfied)
        {
            reasons.Add(VolumeBindingReasons.NodeConflict);
        }

        if (!unboundSatisfied)
        {
            reasons.Add(VolumeBindingReasons.BindConflict);
        }

        if (!boundFound)
        {
            reasons.Add(VolumeBindingReasons.PVNotExist);
        }

        return (result, reasons);
    }

    /// <summary>
    /// Upstream's AssumePodVolumes: records the node's choice in the assume caches (volumes bound to their claims, claims
    /// annotated with the selected node) and in <paramref name="volumes"/>. True: every claim is already bound.
    /// </summary>
    public bool AssumePodVolumes(Pod pod, string nodeName, PodVolumes volumes)
    {
        if (ArePodVolumesBound(pod))
        {
            return true;
        }

        var bindings = new List<BindingInfo>(volumes.StaticBindings.Count);
        foreach (var binding in volumes.StaticBindings)
        {
            var (bound, dirty) = VolumeRules.BindVolumeToClaim(binding.Volume, binding.Claim);
            if (dirty && !Volumes.TryAssume(bound, out var error))
            {
                Revert(bindings, []);
                throw new VolumeBindingException(error);
            }

            bindings.Add(binding with { Volume = bound });
        }

        var provisions = new List<PersistentVolumeClaim>(volumes.DynamicProvisions.Count);
        foreach (var claim in volumes.DynamicProvisions)
        {
            var annotated = KubeObject.Clone(claim);
            annotated.Metadata ??= new Api.Models.MetaV1.ObjectMeta();
            annotated.Metadata.Annotations ??= new Dictionary<string, string>();
            annotated.Metadata.Annotations[VolumeAnnotations.SelectedNode] = nodeName;
            if (!Claims.TryAssume(annotated, out var error))
            {
                Revert(bindings, provisions);
                throw new VolumeBindingException(error);
            }

            provisions.Add(annotated);
        }

        volumes.StaticBindings = bindings;
        volumes.DynamicProvisions = provisions;
        return false;
    }

    /// <summary>Upstream's RevertAssumedPodVolumes: the caches show the informers' versions again.</summary>
    public void RevertAssumedPodVolumes(PodVolumes volumes) => Revert(volumes.StaticBindings, volumes.DynamicProvisions);

    private bool FindUnboundVolumes(PodVolumeClaims claims, IReadOnlyDictionary<string, string> labels, string nodeName, PodVolumes result)
    {
        var toMatch = new List<PersistentVolumeClaim>();
        var toProvision = new List<PersistentVolumeClaim>();
        foreach (var claim in claims.UnboundDelayBinding)
        {
            if (claim.Metadata?.Annotations?.TryGetValue(VolumeAnnotations.SelectedNode, out var selected) ?? false)
            {
                // Provisioning already started for another node: only that node can have the volume.
                if (selected != nodeName)
                {
                    return false;
                }

                toProvision.Add(claim);
            }
            else
            {
                toMatch.Add(claim);
            }
        }

        var satisfied = true;
        if (toMatch.Count > 0)
        {
            var chosen = new HashSet<string>(StringComparer.Ordinal);
            var bindings = new List<BindingInfo>();
            foreach (var claim in toMatch)
            {
                var candidates = claims.VolumesByClass.GetValueOrDefault(VolumeRules.ClaimClass(claim)) ?? [];
                if (VolumeRules.FindMatchingVolume(claim, candidates, labels, chosen) is { } volume)
                {
                    chosen.Add(volume.Metadata?.Name ?? "");
                    bindings.Add(new BindingInfo(claim, volume));
                }
                else
                {
                    toProvision.Add(claim);
                    satisfied = false;
                }
            }

            result.StaticBindings = bindings;
        }

        if (toProvision.Count > 0)
        {
            (satisfied, result.DynamicProvisions) = CheckVolumeProvisions(toProvision, labels);
        }

        return satisfied;
    }

    private (bool Satisfied, bool Found) CheckBoundClaims(IReadOnlyList<PersistentVolumeClaim> claims, IReadOnlyDictionary<string, string> labels)
    {
        foreach (var claim in claims)
        {
            var volume = Volumes.Get(claim.Spec?.VolumeName ?? "");
            if (volume is null)
            {
                return (true, false);
            }

            if (!VolumeTopology.VolumeFitsNode(volume, labels))
            {
                return (false, true);
            }
        }

        return (true, true);
    }

    // Upstream's checkVolumeProvisions, without the CSIStorageCapacity check (Korral has no CSI drivers).
    private (bool Satisfied, IReadOnlyList<PersistentVolumeClaim> Provisions) CheckVolumeProvisions(
        List<PersistentVolumeClaim> claims, IReadOnlyDictionary<string, string> labels)
    {
        var provisions = new List<PersistentVolumeClaim>(claims.Count);
        foreach (var claim in claims)
        {
            var className = VolumeRules.ClaimClass(claim);
            if (className.Length == 0)
            {
                throw new VolumeBindingException($"no class for claim \"{KubeObject.Key(claim)}\"");
            }

            var storageClass = _sources.Classes.Get(className) ?? throw new VolumeBindingException($"failed to find storage class \"{className}\"");
            var provisioner = storageClass.Provisioner ?? "";
            if (provisioner.Length == 0 || provisioner == VolumeAnnotations.NotSupportedProvisioner
                || !VolumeTopology.MatchTopologySelectorTerms(storageClass.AllowedTopologies, labels))
            {
                return (false, []);
            }

            provisions.Add(claim);
        }

        return (true, provisions);
    }

    private bool IsDelayBindingMode(PersistentVolumeClaim claim)
    {
        var className = VolumeRules.ClaimClass(claim);
        if (className.Length == 0 || _sources.Classes.Get(className) is not { } storageClass)
        {
            return false;
        }

        return storageClass.VolumeBindingMode is { } mode
            ? mode == WaitForFirstConsumer
            : throw new VolumeBindingException($"VolumeBindingMode not set for StorageClass \"{className}\"");
    }

    private bool ArePodVolumesBound(Pod pod)
    {
        var ns = pod.Metadata?.Namespace ?? "";
        foreach (var volume in pod.Spec?.Volumes ?? [])
        {
            if (TryClaimName(pod, volume, out var name, out var ephemeral)
                && (Claims.Get(ObjectKey.Of(ns, name)) is not { } claim
                    || (ephemeral && NotOwnedBy(claim, pod) is not null)
                    || !VolumeRules.IsFullyBound(claim)))
            {
                return false;
            }
        }

        return true;
    }

    private void Revert(IReadOnlyList<BindingInfo> bindings, IReadOnlyList<PersistentVolumeClaim> provisions)
    {
        foreach (var binding in bindings)
        {
            Volumes.Restore(KubeObject.Key(binding.Volume));
        }

        foreach (var claim in provisions)
        {
            Claims.Restore(KubeObject.Key(claim));
        }
    }

    /// <summary>
    /// The claim a volume uses: a persistentVolumeClaim's name, or <c>&lt;pod&gt;-&lt;volume&gt;</c> for a generic ephemeral volume.
    /// </summary>
    private static bool TryClaimName(Pod pod, Volume volume, out string name, out bool ephemeral)
    {
        ephemeral = false;
        if (volume.PersistentVolumeClaim is { } source)
        {
            name = source.ClaimName ?? "";
            return true;
        }

        if (volume.Ephemeral is not null)
        {
            ephemeral = true;
            name = $"{pod.Metadata?.Name}-{volume.Name}";
            return true;
        }

        name = "";
        return false;
    }

    /// <summary>Upstream's ephemeral.VolumeIsForPod: the claim must be controlled by the pod.</summary>
    private static string? NotOwnedBy(PersistentVolumeClaim claim, Pod pod)
    {
        var controller = claim.Metadata?.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
        if (claim.Metadata?.Namespace == pod.Metadata?.Namespace && controller is not null && controller.Uid == pod.Metadata?.Uid)
        {
            return null;
        }

        return $"PVC {claim.Metadata?.Namespace}/{claim.Metadata?.Name} was not created for pod "
            + $"{pod.Metadata?.Namespace}/{pod.Metadata?.Name} (pod is not owner)";
    }

    private static IReadOnlyDictionary<string, string> LabelsOf(Node node) => node.Metadata?.Labels switch
    {
        null => new Dictionary<string, string>(),
        IReadOnlyDictionary<string, string> d => d,
        var other => new Dictionary<string, string>(other),
    };
}
