using System.Text.Json.Nodes;
using Korral.ApiServer.Tests.Fixtures;

namespace Korral.ApiServer.Tests.Durability;

/// <summary>
/// Stopping a server and starting another on the same data directory: everything written is there with the same
/// resourceVersions, new writes get larger ones, and watches from before the restart are told to re-list (410).
/// </summary>
public sealed class RestartTests : IAsyncLifetime
{
    private readonly string _dataDir = TempDirs.Create();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        TempDirs.Delete(_dataDir);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Objects_and_resourceVersions_survive_a_restart()
    {
        var snapshot = new Dictionary<string, (long Rv, string Uid)>();
        long lastRv;
        string ns;
        string nodePortService;
        int nodePort;
        await using (var first = await TestServer.StartAsync(_dataDir))
        {
            var api = first.Api;
            ns = $"durable-{Guid.NewGuid():N}"[..20];
            await api.CreateAsync("/api/v1/namespaces", Objects.Namespace(ns));
            for (var i = 0; i < 10; i++)
            {
                await api.CreateAsync($"/api/v1/namespaces/{ns}/configmaps", Objects.ConfigMap($"cm-{i}"));
            }

            ApiAssert.Code(200, await api.PatchAsync($"/api/v1/namespaces/{ns}/configmaps/cm-3", """{"data":{"k":"patched"}}"""));
            ApiAssert.Code(200, await api.DeleteAsync($"/api/v1/namespaces/{ns}/configmaps/cm-7"));
            await api.CreateAsync($"/apis/apps/v1/namespaces/{ns}/deployments", Objects.Deployment("web", replicas: 3));
            ApiAssert.Code(200, await api.PatchAsync($"/apis/apps/v1/namespaces/{ns}/deployments/web/scale", """{"spec":{"replicas":4}}"""));
            var svc = await api.CreateAsync($"/api/v1/namespaces/{ns}/services", Objects.Service("np", "NodePort"));
            nodePortService = (string?)svc["spec"]!["clusterIP"] ?? "";
            nodePort = svc["spec"]!["ports"]![0]!["nodePort"]!.GetValue<int>();

            foreach (var path in new[] { $"/api/v1/namespaces/{ns}/configmaps", $"/apis/apps/v1/namespaces/{ns}/deployments", $"/api/v1/namespaces/{ns}/services" })
            {
                foreach (var item in (await api.ReadAsync(path))["items"]!.AsArray())
                {
                    snapshot[$"{item!["kind"]}/{item["metadata"]!["name"]}"] = (ApiAssert.Rv(item), (string?)item["metadata"]!["uid"] ?? "");
                }
            }

            lastRv = ApiAssert.Rv(await api.ReadAsync($"/api/v1/namespaces/{ns}/configmaps"));
        }

        await using var second = await TestServer.StartAsync(_dataDir);
        var again = second.Api;
        var restored = new Dictionary<string, (long Rv, string Uid)>();
        foreach (var path in new[] { $"/api/v1/namespaces/{ns}/configmaps", $"/apis/apps/v1/namespaces/{ns}/deployments", $"/api/v1/namespaces/{ns}/services" })
        {
            var list = await again.ReadAsync(path);
            Assert.True(ApiAssert.Rv(list) >= lastRv);
            foreach (var item in list["items"]!.AsArray())
            {
                restored[$"{item!["kind"]}/{item["metadata"]!["name"]}"] = (ApiAssert.Rv(item), (string?)item["metadata"]!["uid"] ?? "");
            }
        }

        Assert.Equal(snapshot.OrderBy(p => p.Key), restored.OrderBy(p => p.Key));
        Assert.Equal("patched", (string?)(await again.ReadAsync($"/api/v1/namespaces/{ns}/configmaps/cm-3"))["data"]!["k"]);
        ApiAssert.Code(404, await again.GetAsync($"/api/v1/namespaces/{ns}/configmaps/cm-7"));
        var deployment = await again.ReadAsync($"/apis/apps/v1/namespaces/{ns}/deployments/web");
        Assert.Equal(4, deployment["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(2, deployment["metadata"]!["generation"]!.GetValue<long>());

        // New writes get larger resourceVersions.
        var fresh = await again.CreateAsync($"/api/v1/namespaces/{ns}/configmaps", Objects.ConfigMap("after-restart"));
        Assert.True(ApiAssert.Rv(fresh) > lastRv, $"{ApiAssert.Rv(fresh)} > {lastRv}");
        var patched = await again.PatchAsync($"/api/v1/namespaces/{ns}/configmaps/cm-0", """{"data":{"k":"after"}}""");
        ApiAssert.Code(200, patched);
        Assert.True(ApiAssert.Rv(patched.Object) > ApiAssert.Rv(fresh));

        // Allocations are remembered: the node port and cluster IP stay taken.
        var clash = await again.PostAsync($"/api/v1/namespaces/{ns}/services", Objects.Service("np-2", "NodePort", nodePort: nodePort));
        ApiAssert.Failure(clash, 422, "Invalid");
        var ipClash = Objects.Service("ip-2");
        ipClash["spec"]!["clusterIP"] = nodePortService;
        ApiAssert.Failure(await again.PostAsync($"/api/v1/namespaces/{ns}/services", ipClash), 422, "Invalid");

        // The bootstrap objects are not duplicated or rewritten.
        var kubernetes = await again.ReadAsync("/api/v1/namespaces/default/services/kubernetes");
        Assert.Equal("10.96.0.1", (string?)kubernetes["spec"]!["clusterIP"]);
        Assert.True(ApiAssert.Rv(kubernetes) < lastRv);
    }

    [Fact]
    public async Task Cluster_ca_is_kept_so_old_client_certificates_still_work()
    {
        System.Security.Cryptography.X509Certificates.X509Certificate2 cert;
        string thumbprint;
        await using (var first = await TestServer.StartAsync(_dataDir))
        {
            cert = first.AdminCertificate;
            thumbprint = first.Host.Certificates.Authority.Thumbprint;
        }

        await using var second = await TestServer.StartAsync(_dataDir);
        Assert.Equal(thumbprint, second.Host.Certificates.Authority.Thumbprint);
        var old = new ApiClient(second.NewHttpClient(cert, System.Net.HttpVersion.Version11));
        ApiAssert.Code(200, await old.GetAsync("/api/v1/namespaces/default"));
    }

    [Fact]
    public async Task Watch_from_before_a_restart_gets_410_Expired()
    {
        // The new server's watch cache starts at the store's revision: an older resourceVersion is outside its window,
        // so the watch answers with an ERROR event carrying a 410 Expired Status (upstream's cacher does the same).
        long oldRv;
        string ns;
        await using (var first = await TestServer.StartAsync(_dataDir))
        {
            ns = $"w-{Guid.NewGuid():N}"[..14];
            await first.Api.CreateAsync("/api/v1/namespaces", Objects.Namespace(ns));
            oldRv = ApiAssert.Rv(await first.Api.ReadAsync($"/api/v1/namespaces/{ns}/configmaps"));
            for (var i = 0; i < 3; i++)
            {
                await first.Api.CreateAsync($"/api/v1/namespaces/{ns}/configmaps", Objects.ConfigMap($"cm-{i}"));
            }
        }

        await using var second = await TestServer.StartAsync(_dataDir);
        using var watch = await second.Api.WatchAsync($"/api/v1/namespaces/{ns}/configmaps?watch=true&resourceVersion={oldRv}");
        Assert.Equal(200, watch.Code);
        var e = await watch.NextAsync();
        Assert.Equal("ERROR", (string?)e["type"]);
        var status = e["object"]!.AsObject();
        Assert.Equal("Status", (string?)status["kind"]);
        Assert.Equal("Failure", (string?)status["status"]);
        Assert.Equal(410, status["code"]!.GetValue<int>());
        Assert.Equal("Expired", (string?)status["reason"]);
        Assert.StartsWith($"too old resource version: {oldRv} (", (string?)status["message"]);
        await watch.EndAsync(TimeSpan.FromSeconds(10));

        // A watch from the current list works on the new server.
        var listRv = ApiAssert.Rv(await second.Api.ReadAsync($"/api/v1/namespaces/{ns}/configmaps"));
        using var fresh = await second.Api.WatchAsync($"/api/v1/namespaces/{ns}/configmaps?watch=true&resourceVersion={listRv}");
        await second.Api.CreateAsync($"/api/v1/namespaces/{ns}/configmaps", Objects.ConfigMap("new"));
        Assert.Equal("ADDED", (string?)(await fresh.NextAsync())["type"]);
    }
}
