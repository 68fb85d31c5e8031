using System.Security.Cryptography.X509Certificates;
using Korral.Api.Models.AppsV1;
using Korral.Api.Models.AutoscalingV1;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Client.Tests.Fixtures;

namespace Korral.Client.Tests.Http;

/// <summary>Typed calls against a real in-process API server.</summary>
public sealed class ResourceClientTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;

    private KorralServer Server => fixture.Server;

    [Fact]
    public async Task Create_get_list_update_and_delete_a_config_map()
    {
        var client = Server.NewClient();
        var ns = await Server.CreateNamespaceAsync(client, "crud");
        var configMaps = client.Resource<ConfigMap>();

        var created = await configMaps.CreateAsync(Objects.ConfigMap(ns, "a"), None);
        Assert.False(string.IsNullOrEmpty(created.Metadata?.Uid));

        var got = await configMaps.GetAsync(ns, "a", None);
        Assert.Equal(created.Metadata!.ResourceVersion, got.Metadata!.ResourceVersion);

        got.Data!["k"] = "changed";
        var updated = await configMaps.UpdateAsync(got, None);
        Assert.Equal("changed", updated.Data!["k"]);
        Assert.NotEqual(got.Metadata.ResourceVersion, updated.Metadata!.ResourceVersion);

        var list = await configMaps.ListAsync(ns, null, None);
        Assert.Equal(["a"], list.Items.Select(c => c.Metadata!.Name));
        Assert.False(string.IsNullOrEmpty(list.ResourceVersion));

        var deleted = await configMaps.DeleteAsync(ns, "a", None);
        Assert.Null(await configMaps.TryGetAsync(ns, "a", None));
        Assert.True(deleted is null || deleted.Metadata?.Name == "a");
    }

    [Fact]
    public async Task Api_errors_carry_their_status()
    {
        var client = Server.NewClient();
        var ns = await Server.CreateNamespaceAsync(client, "errors");
        var configMaps = client.Resource<ConfigMap>();

        var missing = await Assert.ThrowsAsync<KubeApiException>(() => configMaps.GetAsync(ns, "nope", None));
        Assert.True(missing.IsNotFound);
        Assert.Equal(404, missing.Code);
        Assert.Contains("nope", missing.Status.Message);

        var first = await configMaps.CreateAsync(Objects.ConfigMap(ns, "a"), None);
        var exists = await Assert.ThrowsAsync<KubeApiException>(() => configMaps.CreateAsync(Objects.ConfigMap(ns, "a"), None));
        Assert.True(exists.IsAlreadyExists);
        Assert.False(exists.IsConflict);

        var newer = KubeObject.Clone(first);
        newer.Data!["k"] = "newer";
        await configMaps.UpdateAsync(newer, None);
        var stale = await Assert.ThrowsAsync<KubeApiException>(() => configMaps.UpdateAsync(first, None));
        Assert.True(stale.IsConflict);

        var invalid = await Assert.ThrowsAsync<KubeApiException>(() => configMaps.CreateAsync(Objects.ConfigMap(ns, "Not_Valid"), None));
        Assert.True(invalid.IsInvalid);
    }

    [Fact]
    public async Task Patches_of_each_type_apply()
    {
        var client = Server.NewClient();
        var ns = await Server.CreateNamespaceAsync(client, "patch");
        var configMaps = client.Resource<ConfigMap>();
        await configMaps.CreateAsync(Objects.ConfigMap(ns, "a"), None);

        await configMaps.PatchAsync(ns, "a", PatchType.Merge, """{"data":{"m":"1"}}""", None);
        await configMaps.PatchAsync(ns, "a", PatchType.StrategicMerge, """{"metadata":{"labels":{"s":"2"}}}""", None);
        var patched = await configMaps.PatchAsync(ns, "a", PatchType.Json, """[{"op":"add","path":"/data/j","value":"3"}]""", None);

        Assert.Equal(new Dictionary<string, string> { ["k"] = "v", ["m"] = "1", ["j"] = "3" }, patched.Data);
        Assert.Equal("2", patched.Metadata!.Labels!["s"]);
    }

    [Fact]
    public async Task Status_and_scale_subresources_change_only_their_part()
    {
        var client = Server.NewClient();
        var ns = await Server.CreateNamespaceAsync(client, "sub");
        var deployments = client.Resource<Deployment>();
        var d = await deployments.CreateAsync(Objects.Deployment(ns, "web", replicas: 1), None);

        d.Status = new DeploymentStatus { ObservedGeneration = 1, Replicas = 0 };
        d.Spec!.Replicas = 7;
        var afterStatus = await deployments.UpdateStatusAsync(d, None);
        Assert.Equal(1, afterStatus.Status?.ObservedGeneration);
        Assert.Equal(1, afterStatus.Spec?.Replicas);

        var scale = await deployments.GetScaleAsync(ns, "web", None);
        Assert.Equal(1, scale.Spec?.Replicas);
        scale.Spec = new ScaleSpec { Replicas = 3 };
        var scaled = await deployments.UpdateScaleAsync(ns, "web", scale, None);
        Assert.Equal(3, scaled.Spec?.Replicas);
        Assert.Equal(3, (await deployments.GetAsync(ns, "web", None)).Spec?.Replicas);

        var status = await deployments.PatchStatusAsync(ns, "web", PatchType.Merge, """{"status":{"replicas":2}}""", None);
        Assert.Equal(2, status.Status?.Replicas);
    }

    [Fact]
    public async Task Binding_assigns_a_pod_to_a_node()
    {
        var client = Server.NewClient();
        var ns = await Server.CreateNamespaceAsync(client, "bind");
        var pods = client.Resource<Pod>();
        await pods.CreateAsync(Objects.Pod(ns, "p"), None);

        await pods.BindAsync(ns, "p", new Binding
        {
            Metadata = new ObjectMeta { Name = "p", Namespace = ns },
            Target = new ObjectReference { Kind = "Node", Name = "node-1" },
        }, None);

        Assert.Equal("node-1", (await pods.GetAsync(ns, "p", None)).Spec?.NodeName);
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.Resource<ConfigMap>().BindAsync(ns, "p", new Binding(), None));
    }

    [Fact]
    public async Task Lists_are_paged_and_delete_collection_honours_the_selector()
    {
        var client = Server.NewClient();
        var ns = await Server.CreateNamespaceAsync(client, "pages");
        var configMaps = client.Resource<ConfigMap>();
        await Task.WhenAll(Enumerable.Range(0, 25).Select(i =>
            configMaps.CreateAsync(Objects.ConfigMap(ns, $"cm-{i:D2}", labels: new() { ["even"] = (i % 2 == 0).ToString().ToLowerInvariant() }), None)));

        var page = await configMaps.ListAsync(ns, new ListOptions { Limit = 10 }, None);
        Assert.Equal(10, page.Items.Count);
        Assert.NotNull(page.Continue);

        var all = await configMaps.ListAllAsync(ns, null, pageSize: 10, None);
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"cm-{i:D2}"), all.Items.Select(c => c.Metadata!.Name).Order());
        Assert.Null(all.Continue);
        Assert.False(string.IsNullOrEmpty(all.ResourceVersion));

        await configMaps.DeleteCollectionAsync(ns, new ListOptions { LabelSelector = "even=true" }, null, None);
        var left = await configMaps.ListAsync(ns, new ListOptions { LabelSelector = "even" }, None);
        Assert.Equal(12, left.Items.Count);
        Assert.All(left.Items, c => Assert.Equal("false", c.Metadata!.Labels!["even"]));
    }

    [Fact]
    public async Task A_watch_from_a_list_sees_later_changes_then_ends_at_its_timeout()
    {
        var client = Server.NewClient();
        var ns = await Server.CreateNamespaceAsync(client, "watch");
        var configMaps = client.Resource<ConfigMap>();
        await configMaps.CreateAsync(Objects.ConfigMap(ns, "before"), None);
        var list = await configMaps.ListAsync(ns, null, None);

        var events = new List<(WatchEventType, string?)>();
        var watching = Task.Run(async () =>
        {
            await foreach (var e in configMaps.WatchAsync(ns, new WatchOptions { ResourceVersion = list.ResourceVersion, TimeoutSeconds = 2 }, None))
            {
                events.Add((e.Type, e.Object.Metadata?.Name));
            }
        });
        await configMaps.CreateAsync(Objects.ConfigMap(ns, "after"), None);
        await configMaps.DeleteAsync(ns, "before", None);

        await Wait.For(watching, "the watch to end at timeoutSeconds");
        Assert.Equal([(WatchEventType.Added, "after"), (WatchEventType.Deleted, "before")], events);
    }

    [Fact]
    public async Task A_kubeconfig_with_embedded_certificates_connects()
    {
        var host = Server.Host;
        var cert = host.Certificates.IssueClient("someone", ["system:masters"], DateTimeOffset.UtcNow);
        using var key = cert.GetECDsaPrivateKey()!;
        static string B64(string pem) => Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(pem));
        var yaml = $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: c
              cluster:
                server: {host.Url.ToString().TrimEnd('/')}
                certificate-authority-data: {B64(host.Certificates.Authority.ExportCertificatePem())}
            users:
            - name: u
              user:
                client-certificate-data: {B64(cert.ExportCertificatePem())}
                client-key-data: {B64(key.ExportPkcs8PrivateKeyPem())}
            contexts:
            - name: other
              context: {"{cluster: c, user: nobody}"}
            - name: mine
              context:
                cluster: c
                user: u
            current-context: mine
            """;
        var path = Path.Combine(Server.DataDir, "kubeconfig.yaml");
        await File.WriteAllTextAsync(path, yaml);

        using var client = KubeClient.FromKubeconfig(path);
        var namespaces = await client.Resource<Namespace>().ListAsync(null, null, None);

        Assert.Contains(namespaces.Items, n => n.Metadata?.Name == "default");
        var e = Assert.Throws<FormatException>(() => Kubeconfig.Load(path, "other"));
        Assert.Contains("nobody", e.Message);
    }

    [Fact]
    public async Task A_server_signed_by_another_ca_is_refused()
    {
        await using var other = await KorralServer.StartAsync();
        using var client = new KubeClient(Server.ClientOptions("admin", ["system:masters"]) with
        {
            Server = other.Host.Url,
            MaxRetries = 0,
        });

        await Assert.ThrowsAsync<HttpRequestException>(() => client.Resource<Namespace>().ListAsync(null, null, None));
    }
}
