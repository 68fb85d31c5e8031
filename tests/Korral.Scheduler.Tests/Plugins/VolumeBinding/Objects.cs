using Korral.Api.Models;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Api.Models.StorageV1;
using Korral.Client;

namespace Korral.Scheduler.Tests.Plugins.VolumeBinding;

/// <summary>Builders for the objects the volume binding tests seed.</summary>
internal static class Objects
{
    public const string Ns = "default";
    public const string NoProvisioner = "kubernetes.io/no-provisioner";

    public static PersistentVolumeClaim Claim(string name, string? storageClass, string request = "1Gi", string[]? modes = null) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = Ns, Uid = $"uid-{name}" },
        Spec = new PersistentVolumeClaimSpec
        {
            StorageClassName = storageClass,
            AccessModes = modes ?? ["ReadWriteOnce"],
            Resources = new ResourceRequirements { Requests = new Dictionary<string, Quantity> { ["storage"] = Quantity.Parse(request) } },
        },
        Status = new PersistentVolumeClaimStatus { Phase = "Pending" },
    };

    /// <summary>A claim the PV controller has finished binding to <paramref name="volume"/>.</summary>
    public static PersistentVolumeClaim BoundClaim(string name, string? storageClass, string volume)
    {
        var claim = Claim(name, storageClass);
        claim.Spec!.VolumeName = volume;
        claim.Metadata!.Annotations = new Dictionary<string, string> { ["pv.kubernetes.io/bind-completed"] = "yes" };
        claim.Status!.Phase = "Bound";
        return claim;
    }

    public static PersistentVolume Volume(string name, string size, string? storageClass, NodeSelector? affinity = null, string[]? modes = null) => new()
    {
        Metadata = new ObjectMeta { Name = name, Uid = $"uid-{name}" },
        Spec = new PersistentVolumeSpec
        {
            StorageClassName = storageClass,
            Capacity = new Dictionary<string, Quantity> { ["storage"] = Quantity.Parse(size) },
            AccessModes = modes ?? ["ReadWriteOnce"],
            HostPath = new HostPathVolumeSource { Path = $"/data/{name}" },
            NodeAffinity = affinity is null ? null : new VolumeNodeAffinity { Required = affinity },
        },
        Status = new PersistentVolumeStatus { Phase = "Available" },
    };

    public static StorageClass Class(
        string name, string mode = "WaitForFirstConsumer", string provisioner = NoProvisioner, IList<TopologySelectorTerm>? allowed = null) => new()
    {
        Metadata = new ObjectMeta { Name = name },
        Provisioner = provisioner,
        VolumeBindingMode = mode,
        AllowedTopologies = allowed,
    };

    public static Node Node(string name, string zone) => new()
    {
        Metadata = new ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["kubernetes.io/hostname"] = name, ["zone"] = zone } },
    };

    /// <summary>A pod that mounts the named claims.</summary>
    public static Pod Pod(string name, params string[] claims) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = Ns, Uid = $"uid-{name}" },
        Spec = new PodSpec
        {
            Containers = [new Container { Name = "c", Image = "busybox" }],
            Volumes = [.. claims.Select(c => new Volume { Name = $"v-{c}", PersistentVolumeClaim = new PersistentVolumeClaimVolumeSource { ClaimName = c } })],
        },
    };

    /// <summary>A node selector of one term: <paramref name="key"/> In <paramref name="values"/>.</summary>
    public static NodeSelector In(string key, params string[] values) => new()
    {
        NodeSelectorTerms = [new NodeSelectorTerm { MatchExpressions = [new NodeSelectorRequirement { Key = key, Operator = "In", Values = values }] }],
    };

    public static T With<T>(this T obj, Action<T> change)
        where T : class
    {
        var copy = KubeObject.Clone(obj);
        change(copy);
        return copy;
    }
}
