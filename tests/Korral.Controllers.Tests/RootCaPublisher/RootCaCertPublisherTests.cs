using Korral.Api.Models.MetaV1;
using Korral.Client;
using Korral.Controllers.Manager;
using Korral.Controllers.RootCaPublisher;
using Korral.Controllers.Tests.GarbageCollector;
using CoreConfigMap = Korral.Api.Models.CoreV1.ConfigMap;
using CoreNamespace = Korral.Api.Models.CoreV1.Namespace;

namespace Korral.Controllers.Tests.RootCaPublisher;

/// <summary>The root-ca-cert-publisher against a real API server.</summary>
public sealed class RootCaCertPublisherTests : IAsyncLifetime
{
    private const string Bundle = "-----BEGIN CERTIFICATE-----\nMIIBtest\n-----END CERTIFICATE-----\n";

    private ControllerCluster _cluster = null!;

    private KubeClient Client => _cluster.Client;

    public async Task InitializeAsync() =>
        _cluster = await ControllerCluster.StartAsync(c => [(new RootCaCertPublisher(c with { Options = new ControllerManagerOptions { RootCaPem = Bundle } }), 1)]);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private static bool Published(CoreConfigMap? cm) =>
        cm is not null && cm.Data?.Count == 1 && cm.Data.TryGetValue("ca.crt", out var ca) && ca == Bundle &&
        cm.Metadata?.Annotations?.TryGetValue("kubernetes.io/description", out var d) == true && d == RootCaCertPublisher.Description;

    private async Task<string> CreateNamespaceAsync()
    {
        var ns = "rootca-" + Guid.NewGuid().ToString("n")[..8];
        await Client.Resource<CoreNamespace>().CreateAsync(new CoreNamespace { Metadata = new ObjectMeta { Name = ns } }, CancellationToken.None);
        return ns;
    }

    [Theory]
    [InlineData("default")]
    [InlineData("kube-system")]
    [InlineData("kube-public")]
    public async Task Namespaces_that_existed_before_the_controller_get_the_bundle(string ns) =>
        await _cluster.WaitAsync<CoreConfigMap>($"{ns}/kube-root-ca.crt", l => Published(l.Get(ns, "kube-root-ca.crt")));

    [Fact]
    public async Task A_new_namespace_gets_the_bundle_with_upstreams_description()
    {
        var ns = await CreateNamespaceAsync();
        await _cluster.WaitAsync<CoreConfigMap>("kube-root-ca.crt in the new namespace", l => Published(l.Get(ns, "kube-root-ca.crt")));

        var cm = await Client.Resource<CoreConfigMap>().GetAsync(ns, "kube-root-ca.crt", CancellationToken.None);
        Assert.Equal(
            "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP " +
            "or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.",
            cm.Metadata!.Annotations!["kubernetes.io/description"]);
        Assert.Equal(Bundle, cm.Data!["ca.crt"]);
    }

    [Fact]
    public async Task A_deleted_configmap_is_created_again()
    {
        var ns = await CreateNamespaceAsync();
        await _cluster.WaitAsync<CoreConfigMap>("first kube-root-ca.crt", l => Published(l.Get(ns, "kube-root-ca.crt")));
        var first = await Client.Resource<CoreConfigMap>().GetAsync(ns, "kube-root-ca.crt", CancellationToken.None);

        await Client.Resource<CoreConfigMap>().DeleteAsync(ns, "kube-root-ca.crt", CancellationToken.None);

        await _cluster.WaitAsync<CoreConfigMap>("kube-root-ca.crt created again",
            l => l.Get(ns, "kube-root-ca.crt") is { } again && again.Metadata!.Uid != first.Metadata!.Uid && Published(again));
    }

    [Fact]
    public async Task An_edited_configmap_gets_its_data_and_description_back_and_keeps_its_labels()
    {
        var ns = await CreateNamespaceAsync();
        await _cluster.WaitAsync<CoreConfigMap>("kube-root-ca.crt", l => Published(l.Get(ns, "kube-root-ca.crt")));
        var cm = await Client.Resource<CoreConfigMap>().GetAsync(ns, "kube-root-ca.crt", CancellationToken.None);
        cm.Data = new Dictionary<string, string> { ["ca.crt"] = "tampered", ["extra"] = "x" };
        cm.Metadata!.Annotations = null;
        cm.Metadata.Labels = new Dictionary<string, string> { ["team"] = "a" };
        var edited = await Client.Resource<CoreConfigMap>().UpdateAsync(cm, CancellationToken.None);

        await _cluster.WaitAsync<CoreConfigMap>("kube-root-ca.crt restored",
            l => l.Get(ns, "kube-root-ca.crt") is { } now && now.Metadata!.ResourceVersion != edited.Metadata!.ResourceVersion && Published(now));
        var restored = await Client.Resource<CoreConfigMap>().GetAsync(ns, "kube-root-ca.crt", CancellationToken.None);
        Assert.Equal(cm.Metadata.Uid, restored.Metadata!.Uid);
        Assert.Equal("a", restored.Metadata.Labels!["team"]);
    }

    [Fact]
    public async Task A_terminating_namespace_does_not_get_it_back()
    {
        var ns = await CreateNamespaceAsync();
        await _cluster.WaitAsync<CoreConfigMap>("kube-root-ca.crt", l => Published(l.Get(ns, "kube-root-ca.crt")));

        // The "kubernetes" finalizer keeps it Terminating: the namespace controller that would clear it does not run here.
        await Client.Resource<CoreNamespace>().DeleteAsync(null, ns, CancellationToken.None);
        await _cluster.WaitAsync<CoreNamespace>("namespace terminating", l => l.Get(null, ns)?.Status?.Phase == "Terminating");
        await Client.Resource<CoreConfigMap>().DeleteAsync(ns, "kube-root-ca.crt", CancellationToken.None);
        await _cluster.WaitAsync<CoreConfigMap>("kube-root-ca.crt gone", l => l.Get(ns, "kube-root-ca.crt") is null);

        // A marker ConfigMap deleted after ours: once its delete is seen, the controller has had its chance to act on
        // ours (one worker, events in order), so the absence below is not a race won by the test.
        var marker = await CreateNamespaceAsync();
        await _cluster.WaitAsync<CoreConfigMap>("marker kube-root-ca.crt", l => Published(l.Get(marker, "kube-root-ca.crt")));
        await Client.Resource<CoreConfigMap>().DeleteAsync(marker, "kube-root-ca.crt", CancellationToken.None);
        await _cluster.WaitAsync<CoreConfigMap>("marker kube-root-ca.crt created again",
            l => l.Get(marker, "kube-root-ca.crt") is { } again && Published(again));

        Assert.Null(await Client.Resource<CoreConfigMap>().TryGetAsync(ns, "kube-root-ca.crt", CancellationToken.None));
    }

    [Fact]
    public async Task Without_a_bundle_it_publishes_nothing_and_says_so_once()
    {
        var log = new List<string>();
        var context = _cluster.Context with { Options = new ControllerManagerOptions(), Log = line => { lock (log) { log.Add(line); } } };
        var publisher = new RootCaCertPublisher(context);
        await publisher.RunAsync(1, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Single(log, l => l.Contains("no root CA bundle", StringComparison.Ordinal));
    }
}
