using Korral.Controllers.Tests.Manager;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.StorageV1;
using Korral.Client;
using Korral.Client.Informers;
using Korral.Scheduler.Framework;
using Korral.Scheduler.Plugins.VolumeBinding;
using static Korral.Scheduler.Tests.Plugins.VolumeBinding.Objects;

namespace Korral.Scheduler.Tests.Plugins.VolumeBinding;

/// <summary>The plugin against a real API server: its writes pass validation and its wait follows the informers.</summary>
public sealed class VolumeBindingServerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_pod_with_a_WaitForFirstConsumer_claim_gets_a_local_volume_bound_on_its_node()
    {
        await using var server = await TestApiServer.StartAsync();
        var client = server.NewClient();
        using var stop = new CancellationTokenSource(Timeout);
        await client.Resource<StorageClass>().CreateAsync(Class("local"), stop.Token);
        await client.Resource<Node>().CreateAsync(Node("n1", "a"), stop.Token);
        await client.Resource<Node>().CreateAsync(Node("n2", "b"), stop.Token);
        await client.Resource<PersistentVolume>().CreateAsync(Volume("pv-b", "1Gi", "local", In("zone", "b")), stop.Token);
        await client.Resource<PersistentVolume>().CreateAsync(Volume("pv-a", "2Gi", "local", In("zone", "a")), stop.Token);
        var claim = await client.Resource<PersistentVolumeClaim>().CreateAsync(Claim("data", "local").With(c => c.Metadata!.Uid = null), stop.Token);
        await SetPhaseAvailableAsync(client, ["pv-a", "pv-b"], stop.Token);
        await using var informers = new SharedInformerFactory(client);
        var plugin = new VolumeBindingPlugin(new InformersOnlyHandle(client, informers));
        informers.Start(stop.Token);
        await informers.WaitForCacheSyncAsync(stop.Token);
        var pod = PodInfo.From(Pod("web", "data"));
        var state = new CycleState();

        var (_, preFilter) = plugin.PreFilter(state, pod, new Snapshot());
        var nodes = informers.Informer<Node>().Lister.List().OrderBy(n => n.Metadata!.Name).Select(n => new NodeInfo(n)).ToList();
        var filter = nodes.ToDictionary(n => n.Name, n => plugin.Filter(state, pod, n));
        var reserve = plugin.Reserve(state, pod, "n1");
        var preBind = await plugin.PreBindAsync(state, pod.WithNodeName("n1"), "n1", stop.Token);

        Assert.True(preFilter.IsSuccess, preFilter.ToString());
        Assert.True(filter["n1"].IsSuccess, filter["n1"].ToString());
        Assert.True(filter["n2"].IsSuccess, filter["n2"].ToString());
        Assert.True(reserve.IsSuccess, reserve.ToString());
        Assert.True(preBind.IsSuccess, preBind.ToString());
        var volume = await client.Resource<PersistentVolume>().GetAsync(null, "pv-a", stop.Token);
        var bound = await client.Resource<PersistentVolumeClaim>().GetAsync(Ns, "data", stop.Token);
        Assert.Equal(("Bound", "data", claim.Metadata!.Uid), (volume.Status!.Phase, volume.Spec!.ClaimRef!.Name, volume.Spec.ClaimRef.Uid));
        Assert.Equal(("Bound", "pv-a", "2Gi"), (bound.Status!.Phase, bound.Spec!.VolumeName, bound.Status.Capacity!["storage"].ToString()));
        Assert.True(VolumeRules.IsFullyBound(bound));
        Assert.Null((await client.Resource<PersistentVolume>().GetAsync(null, "pv-b", stop.Token)).Spec!.ClaimRef);
    }

    [Fact]
    public async Task Dynamic_provisioning_is_requested_with_the_selected_node_annotation()
    {
        await using var server = await TestApiServer.StartAsync();
        var client = server.NewClient();
        using var stop = new CancellationTokenSource(Timeout);
        await client.Resource<StorageClass>().CreateAsync(Class("csi", provisioner: "example.com/csi"), stop.Token);
        await client.Resource<Node>().CreateAsync(Node("n1", "a"), stop.Token);
        await client.Resource<PersistentVolumeClaim>().CreateAsync(Claim("data", "csi").With(c => c.Metadata!.Uid = null), stop.Token);
        await using var informers = new SharedInformerFactory(client);
        var plugin = new VolumeBindingPlugin(new InformersOnlyHandle(client, informers), VolumeBindingArgs.Default with { BindTimeout = TimeSpan.FromSeconds(1) });
        informers.Start(stop.Token);
        await informers.WaitForCacheSyncAsync(stop.Token);
        var pod = PodInfo.From(Pod("web", "data"));
        var state = new CycleState();
        plugin.PreFilter(state, pod, new Snapshot());
        plugin.Filter(state, pod, new NodeInfo(informers.Informer<Node>().Lister.Get("n1")!));
        plugin.Reserve(state, pod, "n1");

        // No provisioner runs here, so the wait ends with the (shortened) bind timeout.
        var preBind = await plugin.PreBindAsync(state, pod.WithNodeName("n1"), "n1", stop.Token);

        var claim = await client.Resource<PersistentVolumeClaim>().GetAsync(Ns, "data", stop.Token);
        Assert.Equal("n1", claim.Metadata!.Annotations!["volume.kubernetes.io/selected-node"]);
        Assert.Equal("binding volumes: context deadline exceeded", preBind.Message);
    }

    // New volumes start Pending; upstream's PV controller makes them Available. Korral has none, so the test does.
    private static async Task SetPhaseAvailableAsync(KubeClient client, string[] names, CancellationToken cancellationToken)
    {
        foreach (var name in names)
        {
            var volume = await client.Resource<PersistentVolume>().GetAsync(null, name, cancellationToken);
            volume.Status = new PersistentVolumeStatus { Phase = "Available" };
            await client.Resource<PersistentVolume>().UpdateStatusAsync(volume, cancellationToken);
        }
    }
}
