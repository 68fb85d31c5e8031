using Korral.Api.Models.CoreV1;
using Korral.Api.Models.StorageV1;
using Korral.Client;
using Korral.Client.Informers;
using Korral.Scheduler.Framework;
using Korral.Scheduler.Plugins.VolumeBinding;

namespace Korral.Scheduler.Tests.Plugins.VolumeBinding;

public sealed class VolumeBindingPluginTests
{
    [Fact]
    public void Registers_for_the_events_upstream_registers_without_queueing_hints()
    {
        var plugin = new VolumeFixture().Plugin;

        Assert.Equal(
        [
            new ClusterEvent(EventResource.StorageClass, ActionType.Add | ActionType.Update),
            new ClusterEvent(EventResource.PersistentVolumeClaim, ActionType.Add | ActionType.Update),
            new ClusterEvent(EventResource.PersistentVolume, ActionType.Add | ActionType.Update),
            new ClusterEvent(EventResource.Node, ActionType.Add | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint),
        ], plugin.EventsToRegister());
        Assert.Equal("VolumeBinding", plugin.Name);
    }

    [Fact]
    public async Task Reads_the_shared_informers_of_the_framework_handle()
    {
        using var client = new KubeClient(new KubeClientOptions { Server = new Uri("https://127.0.0.1:1") });
        await using var informers = new SharedInformerFactory(client);
        var handle = new InformersOnlyHandle(client, informers);
        informers.Informer<StorageClass>().Indexer.Upsert(Objects.Class("local"));
        informers.Informer<PersistentVolumeClaim>().Indexer.Upsert(Objects.Claim("data", "local"));

        var plugin = new VolumeBindingPlugin(handle);
        var (_, status) = plugin.PreFilter(new CycleState(), PodInfo.From(Objects.Pod("web", "data")), new Snapshot());

        Assert.True(status.IsSuccess, status.ToString());
        Assert.True(informers.Informer<PersistentVolume>().Indexer.HasIndex(VolumeBinder.ByClassIndex));
    }
}
