using Korral.Api.Models;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Api.Models.StorageV1;
using Korral.Client;
using Korral.Controllers.Tests.GarbageCollector;
using Korral.Controllers.Volumes;
using CoreNamespace = Korral.Api.Models.CoreV1.Namespace;

namespace Korral.Controllers.Tests.Volumes;

/// <summary>
/// The PV binder and the local-path provisioner together against a real API server (whose bootstrap makes the default
/// <c>local-path</c> class); the test plays the scheduler by setting the selected-node annotation.
/// </summary>
public sealed class LocalPathProvisioningTests : IAsyncLifetime
{
    private ControllerCluster _cluster = null!;
    private KubeClient Client => _cluster.Client;

    public async Task InitializeAsync() => _cluster = await ControllerCluster.StartAsync(c =>
        [(new PersistentVolumeController(c), 2), (new LocalPathProvisioner(c), 2)]);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private async Task<string> NamespaceAsync()
    {
        var ns = "pv-" + Guid.NewGuid().ToString("n")[..8];
        await Client.Resource<CoreNamespace>().CreateAsync(new CoreNamespace { Metadata = new ObjectMeta { Name = ns } }, CancellationToken.None);
        return ns;
    }

    private async Task<PersistentVolumeClaim> CreateClaimAsync(string ns, string name, string? storageClass = null) =>
        await Client.Resource<PersistentVolumeClaim>().CreateAsync(new PersistentVolumeClaim
        {
            Metadata = new ObjectMeta { Name = name, Namespace = ns },
            Spec = new PersistentVolumeClaimSpec
            {
                AccessModes = ["ReadWriteOnce"],
                Resources = new ResourceRequirements { Requests = new Dictionary<string, Quantity> { ["storage"] = Quantity.Parse("1Gi") } },
                StorageClassName = storageClass,
            },
        }, CancellationToken.None);

    // What the scheduler's VolumeBinding plugin writes in PreBind for a claim to be provisioned.
    private async Task SelectNodeAsync(string ns, string name, string node) =>
        await Client.Resource<PersistentVolumeClaim>().PatchAsync(ns, name, PatchType.Merge,
            "{\"metadata\":{\"annotations\":{\"volume.kubernetes.io/selected-node\":\"" + node + "\"}}}", CancellationToken.None);

    private async Task<List<string>> EventsAsync(string ns) =>
        (await Client.Resource<Event>().ListAsync(ns, null, CancellationToken.None)).Items.Select(e => $"{e.Reason}: {e.Message}").ToList();

    [Fact]
    public async Task A_default_class_claim_waits_for_a_node_then_is_provisioned_and_bound_there()
    {
        var ns = await NamespaceAsync();
        var claim = await CreateClaimAsync(ns, "data");
        Assert.Equal("local-path", claim.Spec!.StorageClassName);
        var volumeName = "pvc-" + claim.Metadata!.Uid;

        await _cluster.WaitAsync<Event>("the WaitForFirstConsumer event",
            events => events.List(ns).Any(e => e.Reason == "WaitForFirstConsumer" && e.InvolvedObject?.Name == "data"));
        Assert.Null(await Client.Resource<PersistentVolume>().TryGetAsync(null, volumeName, CancellationToken.None));

        await SelectNodeAsync(ns, "data", "node-a");
        await _cluster.WaitAsync<PersistentVolumeClaim>("the claim bound",
            claims => claims.Get(ns, "data") is { Status.Phase: "Bound" } bound && bound.Spec?.VolumeName == volumeName);

        var volume = await Client.Resource<PersistentVolume>().GetAsync(null, volumeName, CancellationToken.None);
        Assert.Equal($"/var/lib/korral/storage/{volumeName}_{ns}_data", volume.Spec!.HostPath!.Path);
        Assert.Equal("DirectoryOrCreate", volume.Spec.HostPath.Type);
        Assert.Equal("1Gi", volume.Spec.Capacity!["storage"].ToString());
        Assert.Equal(["ReadWriteOnce"], volume.Spec.AccessModes!);
        Assert.Equal("local-path", volume.Spec.StorageClassName);
        Assert.Equal("Delete", volume.Spec.PersistentVolumeReclaimPolicy);
        Assert.Equal("rancher.io/local-path", volume.Metadata!.Annotations![VolumeAnnotations.ProvisionedBy]);
        Assert.Equal((claim.Metadata.Uid, ns, "data", "PersistentVolumeClaim"),
            (volume.Spec.ClaimRef!.Uid, volume.Spec.ClaimRef.Namespace, volume.Spec.ClaimRef.Name, volume.Spec.ClaimRef.Kind));
        var term = Assert.Single(volume.Spec.NodeAffinity!.Required!.NodeSelectorTerms!);
        var requirement = Assert.Single(term.MatchExpressions!);
        Assert.Equal(("kubernetes.io/hostname", "In", "node-a"), (requirement.Key, requirement.Operator, Assert.Single(requirement.Values!)));
        await _cluster.WaitAsync<PersistentVolume>("the volume Bound", volumes => volumes.Get(null, volumeName)?.Status?.Phase == "Bound");

        var bound = await Client.Resource<PersistentVolumeClaim>().GetAsync(ns, "data", CancellationToken.None);
        var annotations = bound.Metadata!.Annotations!;
        Assert.Equal("yes", annotations[VolumeAnnotations.BindCompleted]);
        Assert.Equal("yes", annotations[VolumeAnnotations.BoundByController]);
        Assert.Equal("rancher.io/local-path", annotations[VolumeAnnotations.StorageProvisioner]);
        Assert.Equal("rancher.io/local-path", annotations[VolumeAnnotations.BetaStorageProvisioner]);
        Assert.Equal("1Gi", bound.Status!.Capacity!["storage"].ToString());
        Assert.Equal(["ReadWriteOnce"], bound.Status.AccessModes!);

        await _cluster.WaitAsync<Event>("the provisioning events", events =>
            events.List(ns).Any(e => e.Reason == "ProvisioningSucceeded" && e.Message == $"Successfully provisioned volume {volumeName}"));
        var seen = await EventsAsync(ns);
        Assert.Contains(seen, e => e.StartsWith("ExternalProvisioning: Waiting for a volume to be created either by the external provisioner 'rancher.io/local-path'", StringComparison.Ordinal));
        Assert.Contains($"Provisioning: External provisioner is provisioning volume for claim \"{ns}/data\"", seen);
    }

    [Fact]
    public async Task Deleting_the_claim_releases_and_deletes_its_volume()
    {
        var ns = await NamespaceAsync();
        var claim = await CreateClaimAsync(ns, "scratch");
        var volumeName = "pvc-" + claim.Metadata!.Uid;
        await SelectNodeAsync(ns, "scratch", "node-b");
        await _cluster.WaitAsync<PersistentVolume>("the volume Bound", volumes => volumes.Get(null, volumeName)?.Status?.Phase == "Bound");

        await Client.Resource<PersistentVolumeClaim>().DeleteAsync(ns, "scratch", CancellationToken.None);
        await _cluster.WaitAsync<PersistentVolume>("the volume deleted", volumes => volumes.Get(null, volumeName) is null);
    }

    [Fact]
    public async Task A_Retain_class_keeps_the_released_volume()
    {
        var className = "keep-" + Guid.NewGuid().ToString("n")[..6];
        await Client.Resource<StorageClass>().CreateAsync(new StorageClass
        {
            Metadata = new ObjectMeta { Name = className },
            Provisioner = LocalPathProvisioner.ProvisionerName,
            ReclaimPolicy = "Retain",
            VolumeBindingMode = "WaitForFirstConsumer",
        }, CancellationToken.None);
        var ns = await NamespaceAsync();
        var claim = await CreateClaimAsync(ns, "kept", className);
        var volumeName = "pvc-" + claim.Metadata!.Uid;
        await SelectNodeAsync(ns, "kept", "node-a");
        await _cluster.WaitAsync<PersistentVolumeClaim>("the claim bound", claims => claims.Get(ns, "kept")?.Status?.Phase == "Bound");
        Assert.Equal("Retain", (await Client.Resource<PersistentVolume>().GetAsync(null, volumeName, CancellationToken.None)).Spec!.PersistentVolumeReclaimPolicy);

        await Client.Resource<PersistentVolumeClaim>().DeleteAsync(ns, "kept", CancellationToken.None);
        await _cluster.WaitAsync<PersistentVolume>("the volume Released", volumes => volumes.Get(null, volumeName)?.Status?.Phase == "Released");
    }

    [Fact]
    public async Task A_volume_without_a_claim_is_Available_and_a_pre_bound_claim_binds_to_it()
    {
        var name = "static-" + Guid.NewGuid().ToString("n")[..6];
        await Client.Resource<PersistentVolume>().CreateAsync(new PersistentVolume
        {
            Metadata = new ObjectMeta { Name = name },
            Spec = new PersistentVolumeSpec
            {
                AccessModes = ["ReadWriteOnce"],
                Capacity = new Dictionary<string, Quantity> { ["storage"] = Quantity.Parse("2Gi") },
                HostPath = new HostPathVolumeSource { Path = "/tmp/" + name },
                StorageClassName = "",
            },
        }, CancellationToken.None);
        await _cluster.WaitAsync<PersistentVolume>("the volume Available", volumes => volumes.Get(null, name)?.Status?.Phase == "Available");

        // A claim that names the volume itself (pre-bound): bound, without the controller's bound-by annotation on it.
        var ns = await NamespaceAsync();
        await Client.Resource<PersistentVolumeClaim>().CreateAsync(new PersistentVolumeClaim
        {
            Metadata = new ObjectMeta { Name = "mine", Namespace = ns },
            Spec = new PersistentVolumeClaimSpec
            {
                AccessModes = ["ReadWriteOnce"],
                Resources = new ResourceRequirements { Requests = new Dictionary<string, Quantity> { ["storage"] = Quantity.Parse("1Gi") } },
                StorageClassName = "",
                VolumeName = name,
            },
        }, CancellationToken.None);
        await _cluster.WaitAsync<PersistentVolumeClaim>("the claim bound", claims => claims.Get(ns, "mine")?.Status?.Phase == "Bound");
        await _cluster.WaitAsync<PersistentVolume>("the volume Bound", volumes => volumes.Get(null, name)?.Status?.Phase == "Bound");
        var claim = await Client.Resource<PersistentVolumeClaim>().GetAsync(ns, "mine", CancellationToken.None);
        Assert.Equal("2Gi", claim.Status!.Capacity!["storage"].ToString());
        Assert.False(claim.Metadata!.Annotations!.ContainsKey(VolumeAnnotations.BoundByController));
        var volume = await Client.Resource<PersistentVolume>().GetAsync(null, name, CancellationToken.None);
        Assert.Equal("yes", volume.Metadata!.Annotations![VolumeAnnotations.BoundByController]);
    }
}
