using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Korral.E2E.Infrastructure;

namespace Korral.E2E.Agent;

/// <summary>
/// `korral agent` joining a `korral server` as a second process, seen through the real kubectl: the node registers Ready
/// without the control-plane role and with a pod CIDR of its own, runs the pods scheduled to it, serves their logs to
/// the API server with the serving certificate it got at the join, refuses to start with a wrong token, and after a
/// restart uses its stored credentials and adopts the pods that kept running.
/// </summary>
public sealed class AgentJoinTests(AgentCluster cluster) : IClassFixture<AgentCluster>
{
    private static readonly TimeSpan PodTimeout = TimeSpan.FromSeconds(90);

    /// <summary>How long a restarted agent is watched for touching a running container: several relists (1 s) and syncs.</summary>
    private static readonly TimeSpan AdoptionWatch = TimeSpan.FromSeconds(5);

    private const string HelloPod = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: hello
        spec:
          containers:
          - name: hello
            image: busybox
            command: ["sh", "-c", "echo hello; sleep 3600"]
        """;

    private Kubectl Kubectl => cluster.Kubectl;

    [Theory]
    [InlineData("secret", "refused the join token (401 Unauthorized)")]
    [InlineData("ca-hash", "is not the one the token names")]
    public async Task WrongTokenStopsTheAgentWithAClearMessage(string wrong, string message)
    {
        var token = (await File.ReadAllTextAsync(cluster.TokenFile)).Trim();
        var match = Regex.Match(token, "^K10([0-9a-f]{64})::server:(.+)$");
        Assert.True(match.Success, $"unexpected token format: {token}");
        var bad = wrong == "secret"
            ? $"K10{match.Groups[1].Value}::server:not-the-secret"
            : $"K10{new string('0', 64)}::server:{match.Groups[2].Value}";
        var dataDir = Path.Combine(cluster.Server.Root, $"agent-bad-{wrong}");
        await using var agent = cluster.Track(new AgentProcess(
            ["--server", cluster.Server.Url, "--token", bad, "--node-name", "agent-bad", "--agent-data-dir", dataDir, "--kubelet-port", "1", "--pod-bridge", AgentCluster.Bridge]));

        var exitCode = await agent.RunToExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exitCode == 1, $"exit code {exitCode}\n{agent.Log}");
        Assert.Contains(message, agent.Stderr, StringComparison.Ordinal);
        Assert.StartsWith("error: ", agent.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", agent.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-secret", agent.Stdout + agent.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(dataDir, "pki")), "a refused join stored credentials");
        (await Kubectl.RunAsync("get", "node", "agent-bad")).EnsureFailure();
    }

    [Fact]
    public async Task JoinedAgentRunsAPodServesItsLogsAndAdoptsItAfterARestart()
    {
        // Join.
        var first = cluster.NewAgent();
        await first.StartAsync();
        Assert.Contains($"node join: joined {cluster.Server.Url}/ as node {AgentCluster.NodeName}", first.Stdout, StringComparison.Ordinal);
        var pki = Path.Combine(cluster.AgentDataDir, "pki");
        string[] files = ["ca.crt", "client-kubelet.crt", "client-kubelet.key", "serving-kubelet.crt", "serving-kubelet.key"];
        Assert.All(files, f => Assert.True(File.Exists(Path.Combine(pki, f)), $"{f} is missing in {pki}"));
        var stored = files.Select(f => File.ReadAllText(Path.Combine(pki, f))).ToArray();
        var socket = first.ContainerdSocket;
        Assert.True(socket is not null, $"no \"containerd … ready on SOCKET\" line\n{first.Log}");

        // The node: Ready, a worker (no control-plane role), a /24 of the cluster CIDR.
        var nodes = await EventuallyAsync(() => Kubectl.RunAsync("get", "nodes"), r => r.Succeeded && r.Lines.Any(l => l.StartsWith(AgentCluster.NodeName + " ", StringComparison.Ordinal) && Cells(l)[1] == "Ready"),
            "agent-a to be Ready", first);
        Assert.Equal("NAME STATUS ROLES AGE VERSION", Collapse(nodes.Lines[0]));
        var node = Cells(Assert.Single(nodes.Lines.Skip(1)));
        Assert.Equal([AgentCluster.NodeName, "Ready", "<none>"], node[..3]);
        var podCidr = (await Kubectl.RunAsync("get", "node", AgentCluster.NodeName, "-o", "jsonpath={.spec.podCIDR}")).EnsureSuccess().Stdout;
        Assert.Matches(@"^10\.77\.[0-9]{1,3}\.0/24$", podCidr);
        var labels = (await Kubectl.RunAsync("get", "node", AgentCluster.NodeName, "-o", "jsonpath={.metadata.labels}")).EnsureSuccess().Stdout;
        Assert.DoesNotContain("node-role.kubernetes.io", labels, StringComparison.Ordinal);

        // A pod, scheduled to the only node, running on the pod network.
        (await Kubectl.RunAsync(["apply", "-f", "-"], HelloPod)).EnsureSuccess();
        var waited = await Kubectl.RunAsync(["wait", "--for=condition=Ready", "pod/hello", "--timeout=90s"], null, PodTimeout + TimeSpan.FromSeconds(10));
        Assert.True(waited.Succeeded, $"{waited}\n{first.Log}");
        var row = Cells(Assert.Single((await Kubectl.RunAsync("get", "pod", "hello", "-o", "wide", "--no-headers")).EnsureSuccess().Lines));
        Assert.Equal(["hello", "1/1", "Running", "0"], row[..4]);
        var podIp = row[5];
        var node24 = IPNetwork.Parse(podCidr);
        Assert.True(node24.Contains(IPAddress.Parse(podIp)), $"pod IP {podIp} is outside the node's {podCidr}");
        Assert.Equal(AgentCluster.NodeName, row[6]);
        Assert.NotEmpty(Directory.EnumerateFileSystemEntries($"/sys/class/net/{AgentCluster.Bridge}/brif"));

        // Its log, through the API server from the agent's kubelet server, which serves the certificate of the join.
        await AssertLogsAsync("hello", first);
        Assert.Equal(X509Certificate2.CreateFromPem(stored[3]).Thumbprint, (await KubeletServingCertificateAsync()).Thumbprint);

        // Restart: the stored credentials are used, and the running container is adopted, not restarted.
        var containerId = await ContainerIdAsync();
        var task = Assert.Single(await AgentCluster.TasksAsync(socket!), t => "containerd://" + t.Id == containerId);
        Assert.Equal(0, await first.StopAsync());
        var second = cluster.NewAgent();
        await second.StartAsync();
        Assert.Contains($"node join: using the credentials of node {AgentCluster.NodeName} in {pki}", second.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("node join: joined", second.Stdout, StringComparison.Ordinal);
        Assert.Equal(stored, files.Select(f => File.ReadAllText(Path.Combine(pki, f))));

        // There is nothing to wait for when the agent leaves a container alone: watch it over several relists and syncs.
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < AdoptionWatch)
        {
            Assert.Equal(containerId, await ContainerIdAsync());
            Assert.Contains(await AgentCluster.TasksAsync(socket!), t => t == task);
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        row = Cells(Assert.Single((await Kubectl.RunAsync("get", "pod", "hello", "--no-headers")).EnsureSuccess().Lines));
        Assert.Equal(["hello", "1/1", "Running", "0"], row[..4]);
        var reasons = (await Kubectl.RunAsync("get", "events", "--field-selector", "involvedObject.name=hello", "-o", "jsonpath={.items[*].reason}")).EnsureSuccess().Stdout;
        Assert.DoesNotContain("Killing", reasons, StringComparison.Ordinal);
        Assert.Equal(1, Regex.Count(reasons, @"\bStarted\b"));
        await AssertLogsAsync("hello", second);

        // Clean up: the kubelet stops and removes the container once the pod is deleted; then the agent stops.
        (await Kubectl.RunAsync("delete", "pod", "hello", "--grace-period=1")).EnsureSuccess();
        await EventuallyAsync(() => AgentCluster.TasksAsync(socket!), tasks => tasks.Count == 0, "no container task left", second);
        await EventuallyAsync(() => AgentCluster.CtrAsync(socket!, "containers", "ls", "-q"), ids => ids.Trim().Length == 0, "no container left", second);
        Assert.Equal(0, await second.StopAsync());
        await EventuallyAsync(() => Task.FromResult(AgentCluster.ProcessesMentioning(Path.GetDirectoryName(Path.GetDirectoryName(socket!))! + "/")),
            processes => processes.Count == 0, "no shim of the agent's containerd left", second);
    }

    private async Task AssertLogsAsync(string expected, AgentProcess agent)
    {
        var logs = await EventuallyAsync(() => Kubectl.RunAsync("logs", "hello"), r => r.Succeeded && r.Stdout == expected + "\n", $"kubectl logs hello to print {expected}", agent);
        Assert.Empty(logs.Stderr);
    }

    private async Task<string> ContainerIdAsync() =>
        (await Kubectl.RunAsync("get", "pod", "hello", "-o", "jsonpath={.status.containerStatuses[0].containerID}")).EnsureSuccess().Stdout;

    /// <summary>The certificate the kubelet server on the agent's port presents (the handshake may then fail: it wants a client certificate).</summary>
    private async Task<X509Certificate2> KubeletServingCertificateAsync()
    {
        X509Certificate2? seen = null;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, cluster.KubeletPort);
        await using var tls = new SslStream(tcp.GetStream(), false, (_, certificate, _, _) =>
        {
            seen = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return true;
        });
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "127.0.0.1" });
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
        {
            // Only the server's certificate matters here.
        }

        return seen ?? throw new Xunit.Sdk.XunitException($"the kubelet server on port {cluster.KubeletPort} presented no certificate");
    }

    /// <summary>Polls <paramref name="read"/> until <paramref name="done"/> holds; fails with the last value and the agent's log.</summary>
    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, AgentProcess agent)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (clock.Elapsed > PodTimeout)
            {
                Assert.Fail($"after {PodTimeout.TotalSeconds} s: waiting for {what}; last: {value}\n{agent.Log}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }

    private static string[] Cells(string line) => Regex.Split(line.Trim(), @"\s+");

    private static string Collapse(string line) => Regex.Replace(line.Trim(), @"\s+", " ");
}
