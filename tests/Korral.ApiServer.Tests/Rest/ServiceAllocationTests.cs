using System.Net;
using System.Text.Json.Nodes;
using Korral.ApiServer.Tests.Fixtures;

namespace Korral.ApiServer.Tests.Rest;

/// <summary>Cluster IPs from 10.96.0.0/12 and node ports from 30000-32767, as the default flags say.</summary>
public sealed class ServiceAllocationTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private ApiClient Api => fixture.Api;

    private static bool InServiceRange(string ip)
    {
        var bytes = IPAddress.Parse(ip).GetAddressBytes();
        return bytes.Length == 4 && bytes[0] == 10 && (bytes[1] & 0xF0) == 96;
    }

    [Fact]
    public async Task Kubernetes_service_exists_in_default_with_the_first_address()
    {
        var svc = await Api.ReadAsync("/api/v1/namespaces/default/services/kubernetes");
        Assert.Equal("10.96.0.1", (string?)svc["spec"]!["clusterIP"]);
        Assert.Equal(["10.96.0.1"], svc["spec"]!["clusterIPs"]!.AsArray().Select(i => (string?)i));
        var port = svc["spec"]!["ports"]!.AsArray().Single()!;
        Assert.Equal("https", (string?)port["name"]);
        Assert.Equal(443, port["port"]!.GetValue<int>());
    }

    [Fact]
    public async Task Fifty_services_get_distinct_cluster_ips_in_range()
    {
        var ns = await fixture.NewNamespaceAsync();
        var ips = new HashSet<string>();
        for (var i = 0; i < 50; i++)
        {
            var created = await Api.CreateAsync($"/api/v1/namespaces/{ns}/services", Objects.Service($"svc-{i}"));
            var ip = (string?)created["spec"]!["clusterIP"] ?? "";
            Assert.True(InServiceRange(ip), $"{ip} is in 10.96.0.0/12");
            Assert.NotEqual("10.96.0.1", ip);
            Assert.Equal([ip], created["spec"]!["clusterIPs"]!.AsArray().Select(x => (string?)x));
            Assert.True(ips.Add(ip), $"{ip} given twice");
        }

        // The addresses are stored, not only answered.
        var list = await Api.ReadAsync($"/api/v1/namespaces/{ns}/services");
        Assert.Equal(ips.Order(), list["items"]!.AsArray().Select(s => (string?)s!["spec"]!["clusterIP"] ?? "").Order());
    }

    [Fact]
    public async Task NodePort_service_gets_a_port_in_range_and_a_taken_port_is_refused()
    {
        var ns = await fixture.NewNamespaceAsync();
        var first = await Api.CreateAsync($"/api/v1/namespaces/{ns}/services", Objects.Service("np-1", "NodePort"));
        var port = first["spec"]!["ports"]![0]!["nodePort"]!.GetValue<int>();
        Assert.InRange(port, 30000, 32767);

        var clash = await Api.PostAsync($"/api/v1/namespaces/{ns}/services", Objects.Service("np-2", "NodePort", nodePort: port));
        var status = ApiAssert.Failure(clash, 422, "Invalid",
            $"Service \"np-2\" is invalid: spec.ports[0].nodePort: Invalid value: {port}: provided port is already allocated");
        Assert.Equal("Service", (string?)status["details"]!["kind"]);
        Assert.Equal("np-2", (string?)status["details"]!["name"]);
        var cause = status["details"]!["causes"]!.AsArray().Single()!;
        Assert.Equal("FieldValueInvalid", (string?)cause["reason"]);
        Assert.Equal("spec.ports[0].nodePort", (string?)cause["field"]);
        ApiAssert.Code(404, await Api.GetAsync($"/api/v1/namespaces/{ns}/services/np-2"));

        // A free port of one's own choosing is granted.
        var chosen = port == 32767 ? 32766 : port + 1;
        var own = await Api.CreateAsync($"/api/v1/namespaces/{ns}/services", Objects.Service("np-3", "NodePort", nodePort: chosen));
        Assert.Equal(chosen, own["spec"]!["ports"]![0]!["nodePort"]!.GetValue<int>());

        // After the first service goes, its port can be had again.
        ApiAssert.Code(200, await Api.DeleteAsync($"/api/v1/namespaces/{ns}/services/np-1"));
        var reused = await Api.CreateAsync($"/api/v1/namespaces/{ns}/services", Objects.Service("np-4", "NodePort", nodePort: port));
        Assert.Equal(port, reused["spec"]!["ports"]![0]!["nodePort"]!.GetValue<int>());
    }

    [Fact]
    public async Task Requested_cluster_ip_that_is_taken_is_refused()
    {
        var ns = await fixture.NewNamespaceAsync();
        var svc = Objects.Service("wants-first");
        svc["spec"]!["clusterIP"] = "10.96.0.1";
        var response = await Api.PostAsync($"/api/v1/namespaces/{ns}/services", svc);
        var status = ApiAssert.Failure(response, 422, "Invalid");
        Assert.Equal("spec.clusterIPs", (string?)status["details"]!["causes"]![0]!["field"]);
    }

    [Fact]
    public async Task Update_keeps_the_allocated_cluster_ip()
    {
        var ns = await fixture.NewNamespaceAsync();
        var created = await Api.CreateAsync($"/api/v1/namespaces/{ns}/services", Objects.Service("keep"));
        var ip = (string?)created["spec"]!["clusterIP"];
        var changed = created.DeepClone().AsObject();
        changed["metadata"]!["labels"] = new JsonObject { ["x"] = "y" };
        var updated = await Api.PutAsync($"/api/v1/namespaces/{ns}/services/keep", changed);
        ApiAssert.Code(200, updated);
        Assert.Equal(ip, (string?)updated.Object["spec"]!["clusterIP"]);
    }
}
