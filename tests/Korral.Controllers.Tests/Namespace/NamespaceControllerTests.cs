using AppsDeployment = Korral.Api.Models.AppsV1.Deployment;
using DeploymentSpec = Korral.Api.Models.AppsV1.DeploymentSpec;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Client;
using Korral.Controllers.GarbageCollector;
using Korral.Controllers.Namespace;
using Korral.Controllers.Tests.GarbageCollector;
using CoreNamespace = Korral.Api.Models.CoreV1.Namespace;

namespace Korral.Controllers.Tests.Namespace;

/// <summary>The namespace controller (with the garbage collector beside it) against a real API server.</summary>
public sealed class NamespaceControllerTests : IAsyncLifetime
{
    private ControllerCluster _cluster = null!;
    private KubeClient Client => _cluster.Client;

    public async Task InitializeAsync() =>
        _cluster = await ControllerCluster.StartAsync(c => [(new NamespaceController(c) { MinRecheckDelay = TimeSpan.FromMilliseconds(200) }, 2),
            (new GarbageCollectorController(c), 2)]);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private static Dictionary<string, string> App => new() { ["app"] = "web" };

    [Fact]
    public async Task A_deleted_namespace_is_emptied_and_removed()
    {
        var ns = "ns-" + Guid.NewGuid().ToString("n")[..8];
        await Client.Resource<CoreNamespace>().CreateAsync(new CoreNamespace { Metadata = new ObjectMeta { Name = ns } }, CancellationToken.None);
        await Client.Resource<ConfigMap>().CreateAsync(new ConfigMap { Metadata = new ObjectMeta { Name = "config", Namespace = ns } }, CancellationToken.None);
        await Client.Resource<Secret>().CreateAsync(new Secret { Metadata = new ObjectMeta { Name = "secret", Namespace = ns } }, CancellationToken.None);
        await Client.Resource<Pod>().CreateAsync(new Pod
        {
            Metadata = new ObjectMeta { Name = "pod", Namespace = ns, Labels = App },
            Spec = new PodSpec { Containers = [new Container { Name = "c", Image = "busybox" }] },
        }, CancellationToken.None);
        await Client.Resource<AppsDeployment>().CreateAsync(new AppsDeployment
        {
            Metadata = new ObjectMeta { Name = "web", Namespace = ns },
            Spec = new DeploymentSpec
            {
                Selector = new LabelSelector { MatchLabels = App },
                Template = new PodTemplateSpec
                {
                    Metadata = new ObjectMeta { Labels = App },
                    Spec = new PodSpec { Containers = [new Container { Name = "c", Image = "busybox" }] },
                },
            },
        }, CancellationToken.None);
        // An object held by the garbage collector's finalizer: the namespace waits for the collector to finish it.
        await Client.Resource<ConfigMap>().CreateAsync(new ConfigMap
        {
            Metadata = new ObjectMeta { Name = "held", Namespace = ns, Finalizers = [GcNames.ForegroundFinalizer] },
        }, CancellationToken.None);

        var deleting = await Client.Resource<CoreNamespace>().DeleteAsync(null, ns, CancellationToken.None);
        Assert.Equal("Terminating", deleting?.Status?.Phase);

        await _cluster.WaitAsync<CoreNamespace>($"namespace {ns} removed", n => n.Get(null, ns) is null);
        foreach (var kind in new[] { "configmaps", "secrets", "pods" })
        {
            var left = await PartialObject.Client(Client, Api.Resources.BuiltinResources.Instance.Find("", "v1", kind)!)
                .ListAsync(ns, null, CancellationToken.None);
            Assert.Empty(left.Items ?? []);
        }

        Assert.Empty((await Client.Resource<AppsDeployment>().ListAsync(ns, null, CancellationToken.None)).Items ?? []);
    }

    [Fact]
    public async Task An_empty_deleted_namespace_is_removed()
    {
        var ns = "ns-" + Guid.NewGuid().ToString("n")[..8];
        await Client.Resource<CoreNamespace>().CreateAsync(new CoreNamespace { Metadata = new ObjectMeta { Name = ns } }, CancellationToken.None);
        await Client.Resource<CoreNamespace>().DeleteAsync(null, ns, CancellationToken.None);
        await _cluster.WaitAsync<CoreNamespace>($"namespace {ns} removed", n => n.Get(null, ns) is null);
    }

    [Fact]
    public async Task Content_kept_by_a_foreign_finalizer_keeps_the_namespace_terminating_with_conditions()
    {
        var ns = "ns-" + Guid.NewGuid().ToString("n")[..8];
        await Client.Resource<CoreNamespace>().CreateAsync(new CoreNamespace { Metadata = new ObjectMeta { Name = ns } }, CancellationToken.None);
        await Client.Resource<ConfigMap>().CreateAsync(new ConfigMap
        {
            Metadata = new ObjectMeta { Name = "kept", Namespace = ns, Finalizers = ["example.com/keep"] },
        }, CancellationToken.None);
        await Client.Resource<CoreNamespace>().DeleteAsync(null, ns, CancellationToken.None);

        await _cluster.WaitAsync<CoreNamespace>("the namespace reports remaining content", n =>
            n.Get(null, ns)?.Status?.Conditions is { } conditions &&
            conditions.Any(c => c.Type == "NamespaceContentRemaining" && c.Status == "True") &&
            conditions.Any(c => c.Type == "NamespaceFinalizersRemaining" && c.Status == "True" && c.Message!.Contains("example.com/keep")));

        // The finalizer's owner lets go: the namespace goes.
        await Client.Resource<ConfigMap>().PatchAsync(ns, "kept", PatchType.Merge, """{"metadata":{"finalizers":null}}""", CancellationToken.None);
        await _cluster.WaitAsync<CoreNamespace>($"namespace {ns} removed", n => n.Get(null, ns) is null);
    }
}
