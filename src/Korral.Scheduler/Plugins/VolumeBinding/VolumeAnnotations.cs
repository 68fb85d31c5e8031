namespace Korral.Scheduler.Plugins.VolumeBinding;

/// <summary>
/// The annotations and names the scheduler, the PV controller and provisioners agree on (upstream's
/// component-helpers/storage/volume constants).
/// </summary>
internal static class VolumeAnnotations
{
    /// <summary>On a claim: the controller finished binding it (the value does not matter).</summary>
    public const string BindCompleted = "pv.kubernetes.io/bind-completed";

    /// <summary>On a volume or claim: the binding was made by the controller (or the scheduler), not pre-bound by a user.</summary>
    public const string BoundByController = "pv.kubernetes.io/bound-by-controller";

    /// <summary>On a claim: the scheduler asks for a volume provisioned for this node.</summary>
    public const string SelectedNode = "volume.kubernetes.io/selected-node";

    /// <summary>The beta way of naming a storage class; it wins over <c>spec.storageClassName</c> when present.</summary>
    public const string BetaStorageClass = "volume.beta.kubernetes.io/storage-class";

    /// <summary>A storage class provisioner that means "no dynamic provisioning".</summary>
    public const string NotSupportedProvisioner = "kubernetes.io/no-provisioner";
}
