using AppsDeployment = Korral.Api.Models.AppsV1.Deployment;
using AppsReplicaSet = Korral.Api.Models.AppsV1.ReplicaSet;
using DeploymentSpec = Korral.Api.Models.AppsV1.DeploymentSpec;
using ReplicaSetSpec = Korral.Api.Models.AppsV1.ReplicaSetSpec;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Client;
using Korral.Controllers.GarbageCollector;
using CoreNamespace = Korral.Api.Models.CoreV1.Namespace;

namespace Korral.Controllers.Tests.GarbageCollector;

/// <summary>
/// What <c>kubectl delete deployment</c> does with each <c>--cascade</c>: a Deployment → ReplicaSet → Pods chain, written
/// by the test as the deployment and replicaset controllers would (controller references with blockOwnerDeletion).
/// </summary>
public sealed class DeploymentChainTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string> App = new() { ["app"] = "web" };

    private ControllerCluster _cluster = null!;
    private KubeClient Client => _cluster.Client;

    public async Task InitializeAsync() => _cluster = await ControllerCluster.StartAsync(c => [(new GarbageCollectorController(c), 4)]);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private static OwnerReference ControlledBy(string apiVersion, string kind, ObjectMeta owner) => new()
    {
        ApiVersion = apiVersion, Kind = kind, Name = owner.Name, Uid = owner.Uid, Controller = true, BlockOwnerDeletion = true,
    };

    private static PodTemplateSpec Template => new()
    {
        Metadata = new ObjectMeta { Labels = App },
        Spec = new PodSpec { Containers = [new Container { Name = "c", Image = "busybox" }] },
    };

    private async Task<string> ChainAsync()
    {
        var ns = "chain-" + Guid.NewGuid().ToString("n")[..8];
        await Client.Resource<CoreNamespace>().CreateAsync(new CoreNamespace { Metadata = new ObjectMeta { Name = ns } }, CancellationToken.None);
        var deployment = await Client.Resource<AppsDeployment>().CreateAsync(new AppsDeployment
        {
            Metadata = new ObjectMeta { Name = "web", Namespace = ns },
            Spec = new DeploymentSpec { Selector = new LabelSelector { MatchLabels = App }, Template = Template },
        }, CancellationToken.None);
        var replicaSet = await Client.Resource<AppsReplicaSet>().CreateAsync(new AppsReplicaSet
        {
            Metadata = new ObjectMeta { Name = "web-1", Namespace = ns, Labels = App, OwnerReferences = [ControlledBy("apps/v1", "Deployment", deployment.Metadata!)] },
            Spec = new ReplicaSetSpec { Selector = new LabelSelector { MatchLabels = App }, Template = Template },
        }, CancellationToken.None);
        for (var i = 0; i < 3; i++)
        {
            await Client.Resource<Pod>().CreateAsync(new Pod
            {
                Metadata = new ObjectMeta { Name = $"web-1-{i}", Namespace = ns, Labels = App, OwnerReferences = [ControlledBy("apps/v1", "ReplicaSet", replicaSet.Metadata!)] },
                Spec = Template.Spec,
            }, CancellationToken.None);
        }

        return ns;
    }

    [Theory]
    [InlineData("Background")]
    [InlineData("Foreground")]
    public async Task Deleting_a_deployment_deletes_its_replicasets_and_pods(string policy)
    {
        var ns = await ChainAsync();
        await Client.Resource<AppsDeployment>().DeleteAsync(ns, "web", new DeleteOptions { PropagationPolicy = policy }, CancellationToken.None);

        await _cluster.WaitAsync<Pod>("the pods collected", pods => pods.List(ns).Count == 0);
        await _cluster.WaitAsync<AppsReplicaSet>("the replicaset collected", sets => sets.List(ns).Count == 0);
        await _cluster.WaitAsync<AppsDeployment>("the deployment gone", d => d.List(ns).Count == 0);
    }

    [Fact]
    public async Task Deleting_a_deployment_with_orphan_keeps_replicasets_and_pods()
    {
        var ns = await ChainAsync();
        await Client.Resource<AppsDeployment>().DeleteAsync(ns, "web", new DeleteOptions { PropagationPolicy = "Orphan" }, CancellationToken.None);

        await _cluster.WaitAsync<AppsDeployment>("the deployment gone", d => d.List(ns).Count == 0);
        var replicaSet = await Client.Resource<AppsReplicaSet>().GetAsync(ns, "web-1", CancellationToken.None);
        Assert.Empty(replicaSet.Metadata!.OwnerReferences ?? []);
        var pods = (await Client.Resource<Pod>().ListAsync(ns, null, CancellationToken.None)).Items ?? [];
        Assert.Equal(3, pods.Count);
        Assert.All(pods, p => Assert.Equal(replicaSet.Metadata.Uid, Assert.Single(p.Metadata!.OwnerReferences!).Uid));
    }
}
