namespace Korral.Controllers.Volumes;

/// <summary>
/// The annotations the PV controller, the scheduler and provisioners agree on (upstream's
/// component-helpers/storage/volume names), and the phases they write.
/// </summary>
public static class VolumeAnnotations
{
    /// <summary>On a claim: the controller finished binding it.</summary>
    public const string BindCompleted = "pv.kubernetes.io/bind-completed";

    /// <summary>On a volume or claim: the binding was made by the controller, not pre-bound by a user.</summary>
    public const string BoundByController = "pv.kubernetes.io/bound-by-controller";

    /// <summary>On a claim: the node the scheduler picked for a WaitForFirstConsumer claim.</summary>
    public const string SelectedNode = "volume.kubernetes.io/selected-node";

    /// <summary>On a claim: which provisioner is asked to create its volume.</summary>
    public const string StorageProvisioner = "volume.kubernetes.io/storage-provisioner";

    /// <summary>The beta spelling of <see cref="StorageProvisioner"/>, still written for older provisioners.</summary>
    public const string BetaStorageProvisioner = "volume.beta.kubernetes.io/storage-provisioner";

    /// <summary>On a claim: the beta way of naming its class; it wins over <c>spec.storageClassName</c>.</summary>
    public const string BetaStorageClass = "volume.beta.kubernetes.io/storage-class";

    /// <summary>On a volume: the provisioner that created it (and so deletes it).</summary>
    public const string ProvisionedBy = "pv.kubernetes.io/provisioned-by";

    /// <summary>A class provisioner meaning "no dynamic provisioning".</summary>
    public const string NoProvisioner = "kubernetes.io/no-provisioner";

    public const string Yes = "yes";

    public const string PhasePending = "Pending";
    public const string PhaseAvailable = "Available";
    public const string PhaseBound = "Bound";
    public const string PhaseReleased = "Released";
    public const string PhaseFailed = "Failed";
    public const string PhaseLost = "Lost";
}
