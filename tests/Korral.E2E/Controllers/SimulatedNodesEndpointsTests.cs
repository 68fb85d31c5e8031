using System.Text.RegularExpressions;
using Korral.E2E.Infrastructure;

namespace Korral.E2E.Controllers;

/// <summary>
/// The real kubectl against `korral server --simulated-nodes 2`: nodes are Ready, a pod gets bound and runs with an IP, and
/// the endpoints controller publishes it (get endpoints, describe service).
/// </summary>
public sealed class SimulatedNodesEndpointsTests(SimulatedCluster cluster) : IClassFixture<SimulatedCluster>, IDisposable
{
    private readonly List<Kubectl> _kubectls = [];

    private Kubectl Kubectl(string version)
    {
        var kubectl = new Kubectl(cluster.Server, version);
        _kubectls.Add(kubectl);
        return kubectl;
    }

    private static string[] Cells(string line) => Regex.Split(line.Trim(), @"\s+");

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Get_nodes_shows_two_ready_simulated_nodes(string version)
    {
        var result = (await Kubectl(version).RunAsync("get", "nodes")).EnsureSuccess();

        Assert.Equal(["NAME", "STATUS", "ROLES", "AGE", "VERSION"], Cells(result.Lines[0]));
        var rows = result.Lines.Skip(1).Select(Cells).ToList();
        Assert.Equal(["sim-node-0", "sim-node-1"], rows.Select(r => r[0]));
        Assert.All(rows, r => Assert.Equal(("Ready", "v1.33.1"), (r[1], r[4])));
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task A_service_lists_its_running_pod_in_endpoints_and_describe(string version)
    {
        var kubectl = Kubectl(version);
        var ns = $"ctl-{version.Replace(".", "", StringComparison.Ordinal)}-{Guid.NewGuid().ToString("N")[..6]}";
        (await kubectl.RunAsync("create", "namespace", ns)).EnsureSuccess();
        var manifest = """
            apiVersion: v1
            kind: Service
            metadata:
              name: web
            spec:
              selector:
                app: web
              ports:
              - name: http
                port: 80
                targetPort: http
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: web-0
              labels:
                app: web
            spec:
              containers:
              - name: nginx
                image: nginx
                ports:
                - name: http
                  containerPort: 8080
            """;
        (await kubectl.RunAsync(["create", "-n", ns, "-f", "-"], manifest)).EnsureSuccess();

        // The scheduler places the pod on a simulated node, which runs it.
        (await kubectl.RunAsync("wait", "-n", ns, "--for=condition=Ready", "pod/web-0", "--timeout=30s")).EnsureSuccess();
        var ip = (await kubectl.RunAsync("get", "pod", "web-0", "-n", ns, "-o", "jsonpath={.status.podIP}")).EnsureSuccess().Stdout.Trim();
        Assert.Matches(@"^10\.244\.[01]\.\d+$", ip);
        (await kubectl.RunAsync("wait", "-n", ns, $"--for=jsonpath={{.subsets[0].addresses[0].ip}}={ip}", "endpoints/web", "--timeout=30s")).EnsureSuccess();

        var endpoints = (await kubectl.RunAsync("get", "endpoints", "web", "-n", ns)).EnsureSuccess();
        Assert.Equal(["web", $"{ip}:8080"], Cells(endpoints.Lines[1])[..2]);

        var describe = (await kubectl.RunAsync("describe", "service", "web", "-n", ns)).EnsureSuccess();
        Assert.Contains(describe.Lines, l => Regex.IsMatch(l, $@"^Endpoints:\s+{Regex.Escape(ip)}:8080$"));

        var slices = (await kubectl.RunAsync("get", "endpointslices", "-n", ns, "-l", "kubernetes.io/service-name=web")).EnsureSuccess();
        Assert.Equal(["IPv4", "8080", ip], Cells(slices.Lines[1])[1..4]);

        // Deleting the pod: the simulated node confirms (kubectl waits for the pod to be gone), and the address leaves the endpoints.
        await using var watch = kubectl.Stream("get", "endpoints", "web", "-n", ns, "-w");
        await watch.WaitForLineAsync(l => Cells(l) is ["web", var e, ..] && e == $"{ip}:8080", "the endpoints with the pod");
        (await kubectl.RunAsync("delete", "pod", "web-0", "-n", ns, "--timeout=30s")).EnsureSuccess();
        await watch.WaitForLineAsync(l => Cells(l) is ["web", "<none>", ..], "the endpoints without the pod");
    }

    public void Dispose()
    {
        foreach (var kubectl in _kubectls)
        {
            kubectl.Dispose();
        }
    }
}
