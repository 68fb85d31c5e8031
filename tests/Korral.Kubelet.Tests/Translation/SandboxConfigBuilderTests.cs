using Korral.Kubelet.Cri.V1;
using Korral.Kubelet.Translation;
using static Korral.Kubelet.Tests.Translation.TranslationFixtures;

namespace Korral.Kubelet.Tests.Translation;

public sealed class SandboxConfigBuilderTests
{
    private static readonly SandboxContext Context = new(
        new DnsContext(["10.96.0.10"], "cluster.local", "nameserver 192.0.2.53\nsearch corp.example\n", ["192.0.2.2"]),
        Attempt: 0,
        CgroupParent: "/kubepods/besteffort/pod" + Uid);

    [Fact]
    public void Golden_01_test_pod()
    {
        var result = SandboxConfigBuilder.Build(ScenarioPod("01-test-pod.yaml"), Context);

        var expected = new PodSandboxConfig
        {
            Metadata = new PodSandboxMetadata { Name = "test-app-pod", Uid = Uid, Namespace = "default", Attempt = 0 },
            Hostname = "test-app-pod",
            LogDirectory = "/var/log/pods/default_test-app-pod_" + Uid,
            DnsConfig = ClusterDns("default"),
            PortMappings = { new PortMapping { Protocol = Protocol.Tcp, ContainerPort = 80, HostPort = 0, HostIp = "" } },
            Labels =
            {
                ["io.kubernetes.pod.name"] = "test-app-pod",
                ["io.kubernetes.pod.namespace"] = "default",
                ["io.kubernetes.pod.uid"] = Uid,
            },
            Linux = new LinuxPodSandboxConfig
            {
                CgroupParent = "/kubepods/besteffort/pod" + Uid,
                SecurityContext = new LinuxSandboxSecurityContext
                {
                    NamespaceOptions = Namespaces(NamespaceMode.Pod, NamespaceMode.Container, NamespaceMode.Pod),
                    Seccomp = new SecurityProfile { ProfileType = SecurityProfile.Types.ProfileType.RuntimeDefault },
                },
                Resources = new LinuxContainerResources { CpuShares = 2, CpuPeriod = 100_000 },
                Overhead = new LinuxContainerResources(),
            },
        };
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(expected, result.Value);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Golden_02_webapp_with_db_pod()
    {
        var result = SandboxConfigBuilder.Build(ScenarioPod("02-webapp-with-db-pod.yaml", ns: "shop"), Context with { Attempt = 2 });

        var expected = new PodSandboxConfig
        {
            Metadata = new PodSandboxMetadata { Name = "webapp-with-db", Uid = Uid, Namespace = "shop", Attempt = 2 },
            Hostname = "webapp-with-db",
            LogDirectory = "/var/log/pods/shop_webapp-with-db_" + Uid,
            DnsConfig = ClusterDns("shop"),
            PortMappings = { new PortMapping { Protocol = Protocol.Tcp, ContainerPort = 80 } },
            Labels =
            {
                ["app"] = "my-webapp",
                ["io.kubernetes.pod.name"] = "webapp-with-db",
                ["io.kubernetes.pod.namespace"] = "shop",
                ["io.kubernetes.pod.uid"] = Uid,
            },
            Linux = new LinuxPodSandboxConfig
            {
                CgroupParent = "/kubepods/besteffort/pod" + Uid,
                SecurityContext = new LinuxSandboxSecurityContext
                {
                    NamespaceOptions = Namespaces(NamespaceMode.Pod, NamespaceMode.Container, NamespaceMode.Pod),
                    Seccomp = new SecurityProfile { ProfileType = SecurityProfile.Types.ProfileType.RuntimeDefault },
                },
                Resources = new LinuxContainerResources { CpuShares = 2, CpuPeriod = 100_000 },
                Overhead = new LinuxContainerResources(),
            },
        };
        Assert.Equal(expected, result.Value);
    }

    [Fact]
    public void Golden_08_webapp_deployment_replica()
    {
        var pod = TemplatePod("08-webapp-deployment.yaml", "webapp-deployment-6d8f7b9c5d-x2x7k");
        pod.Metadata!.Annotations = new Dictionary<string, string> { ["kubernetes.io/config.seen"] = "2026-11-21T19:59:49Z" };

        var result = SandboxConfigBuilder.Build(pod, Context);

        var expected = new PodSandboxConfig
        {
            Metadata = new PodSandboxMetadata { Name = "webapp-deployment-6d8f7b9c5d-x2x7k", Uid = Uid, Namespace = "default" },
            Hostname = "webapp-deployment-6d8f7b9c5d-x2x7k",
            LogDirectory = "/var/log/pods/default_webapp-deployment-6d8f7b9c5d-x2x7k_" + Uid,
            DnsConfig = ClusterDns("default"),
            PortMappings = { new PortMapping { Protocol = Protocol.Tcp, ContainerPort = 80 } },
            Labels =
            {
                ["app"] = "my-webapp",
                ["io.kubernetes.pod.name"] = "webapp-deployment-6d8f7b9c5d-x2x7k",
                ["io.kubernetes.pod.namespace"] = "default",
                ["io.kubernetes.pod.uid"] = Uid,
            },
            Annotations = { ["kubernetes.io/config.seen"] = "2026-11-21T19:59:49Z" },
            Linux = new LinuxPodSandboxConfig
            {
                CgroupParent = "/kubepods/besteffort/pod" + Uid,
                SecurityContext = new LinuxSandboxSecurityContext
                {
                    NamespaceOptions = Namespaces(NamespaceMode.Pod, NamespaceMode.Container, NamespaceMode.Pod),
                    Seccomp = new SecurityProfile { ProfileType = SecurityProfile.Types.ProfileType.RuntimeDefault },
                },
                Resources = new LinuxContainerResources { CpuShares = 2, CpuPeriod = 100_000 },
                Overhead = new LinuxContainerResources(),
            },
        };
        Assert.Equal(expected, result.Value);
    }

    [Fact]
    public void A_host_network_pod_keeps_the_nodes_hostname_namespaces_and_resolver()
    {
        var pod = Pod("""
            apiVersion: v1
            kind: Pod
            metadata: {name: agent}
            spec:
              hostNetwork: true
              hostPID: true
              hostIPC: true
              containers:
              - name: c
                image: busybox
                securityContext: {privileged: true}
                ports: [{containerPort: 9100}]
            """);

        var config = SandboxConfigBuilder.Build(pod, Context).Value!;

        Assert.Equal("", config.Hostname);
        Assert.Equal(Namespaces(NamespaceMode.Node, NamespaceMode.Node, NamespaceMode.Node), config.Linux.SecurityContext.NamespaceOptions);
        Assert.True(config.Linux.SecurityContext.Privileged);
        Assert.Equal(["192.0.2.53"], config.DnsConfig.Servers);
        Assert.Equal(["corp.example"], config.DnsConfig.Searches);
        // The API server sets hostPort = containerPort on the host network.
        Assert.Equal(new PortMapping { Protocol = Protocol.Tcp, ContainerPort = 9100, HostPort = 9100 }, Assert.Single(config.PortMappings));
    }

    [Fact]
    public void Shared_process_namespace_puts_pid_in_the_pod()
    {
        var pod = Pod("""
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec:
              shareProcessNamespace: true
              containers: [{name: c, image: busybox}]
            """);

        var options = SandboxConfigBuilder.Build(pod, Context).Value!.Linux.SecurityContext.NamespaceOptions;

        Assert.Equal(NamespaceMode.Pod, options.Pid);
    }

    [Theory]
    [InlineData("hostname: web-0\n  subdomain: web", "web-0")]
    [InlineData("hostname: web-0\n  subdomain: web\n  setHostnameAsFQDN: true", "web-0.web.default.svc.cluster.local")]
    [InlineData("subdomain: web\n  setHostnameAsFQDN: true", "p.web.default.svc.cluster.local")]
    [InlineData("setHostnameAsFQDN: true", "p")]
    public void Hostname_comes_from_the_spec_or_the_pod_name(string specYaml, string hostname)
    {
        var result = SandboxConfigBuilder.Build(HostnamePod("p", specYaml), Context);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(hostname, result.Value!.Hostname);
    }

    [Fact]
    public void A_pod_name_longer_than_63_characters_is_cut_without_a_trailing_dash()
    {
        var name = new string('a', 62) + "-bcd";

        var result = SandboxConfigBuilder.Build(HostnamePod(name, "restartPolicy: Always"), Context);

        Assert.Equal(new string('a', 62), result.Value!.Hostname);
    }

    [Fact]
    public void An_fqdn_longer_than_64_characters_fails()
    {
        var name = new string('a', 40);

        var result = SandboxConfigBuilder.Build(HostnamePod(name, "subdomain: web\n  setHostnameAsFQDN: true"), Context);

        Assert.False(result.Succeeded);
        Assert.Equal(
            $"failed to construct FQDN from pod hostname and cluster domain, FQDN {name}.web.default.svc.cluster.local is too long (64 characters is the max, 70 characters requested)",
            result.Error);
    }

    [Fact]
    public void An_invalid_hostname_fails_with_the_kubelets_message()
    {
        var pod = HostnamePod("p", "restartPolicy: Always");
        pod.Spec!.Hostname = "Bad_Name";

        var result = SandboxConfigBuilder.Build(pod, Context);

        Assert.False(result.Succeeded);
        Assert.StartsWith("pod Hostname \"Bad_Name\" is not a valid DNS label: a lowercase RFC 1123 label must consist of", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_container_port_is_mapped_once_per_name_with_its_protocol_and_host_address()
    {
        var pod = Pod("""
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec:
              initContainers:
              - {name: init, image: busybox, ports: [{containerPort: 1}]}
              containers:
              - name: a
                image: busybox
                ports:
                - {name: http, containerPort: 80, hostPort: 8080, hostIP: 127.0.0.1}
                - {name: http, containerPort: 81}
                - {containerPort: 53, hostPort: 5353, protocol: UDP}
                - {containerPort: 53, hostPort: 5353, protocol: UDP}
                - {containerPort: 53, hostPort: 5353, protocol: UDP, hostIP: "::1"}
              - name: b
                image: busybox
                ports: [{name: http, containerPort: 9000, protocol: SCTP}]
            """);

        Assert.Equal(
        [
            new PortMapping { Protocol = Protocol.Tcp, ContainerPort = 80, HostPort = 8080, HostIp = "127.0.0.1" },
            new PortMapping { Protocol = Protocol.Udp, ContainerPort = 53, HostPort = 5353 },
            new PortMapping { Protocol = Protocol.Udp, ContainerPort = 53, HostPort = 5353, HostIp = "::1" },
            new PortMapping { Protocol = Protocol.Sctp, ContainerPort = 9000 },
        ], SandboxConfigBuilder.PortMappings(pod));
    }

    [Fact]
    public void Pod_security_context_sysctls_and_resources_go_to_the_linux_part()
    {
        var pod = Pod("""
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec:
              securityContext:
                runAsUser: 1000
                runAsGroup: 3000
                fsGroup: 2000
                supplementalGroups: [4000, 5000]
                seLinuxOptions: {level: "s0:c123,c456"}
                sysctls: [{name: net.ipv4.ip_local_port_range, value: "1024 65535"}, {name: kernel.shm_rmid_forced, value: "1"}]
              overhead: {cpu: 250m, memory: 120Mi}
              initContainers:
              - {name: init, image: busybox, resources: {limits: {cpu: "2", memory: 1Gi}}}
              containers:
              - {name: a, image: busybox, resources: {requests: {cpu: 500m, memory: 256Mi}, limits: {cpu: "1", memory: 512Mi}}}
              - {name: b, image: busybox, resources: {requests: {cpu: 250m}}}
            """);

        var linux = SandboxConfigBuilder.Build(pod, Context).Value!.Linux;

        Assert.Equal(
            new LinuxSandboxSecurityContext
            {
                NamespaceOptions = Namespaces(NamespaceMode.Pod, NamespaceMode.Container, NamespaceMode.Pod),
                RunAsUser = new Int64Value { Value = 1000 },
                RunAsGroup = new Int64Value { Value = 3000 },
                SupplementalGroups = { 2000, 4000, 5000 },
                SelinuxOptions = new SELinuxOption { Level = "s0:c123,c456" },
                Seccomp = new SecurityProfile { ProfileType = SecurityProfile.Types.ProfileType.RuntimeDefault },
            },
            linux.SecurityContext);
        Assert.Equal(new Dictionary<string, string> { ["net.ipv4.ip_local_port_range"] = "1024 65535", ["kernel.shm_rmid_forced"] = "1" }, linux.Sysctls);
        // Requests 750m (containers) vs 2 (init, defaulted from its limit): 2 cpus; limits 1 cpu + 512Mi vs 2 + 1Gi.
        Assert.Equal(new LinuxContainerResources { CpuShares = 2048, CpuPeriod = 100_000, CpuQuota = 200_000, MemoryLimitInBytes = 1 << 30 }, linux.Resources);
        Assert.Equal(new LinuxContainerResources { CpuShares = 256, CpuPeriod = 100_000, CpuQuota = 25_000, MemoryLimitInBytes = 120 << 20 }, linux.Overhead);
    }

    [Fact]
    public void The_log_path_helpers_match_the_kubelets_layout()
    {
        Assert.Equal("/var/log/pods/ns_name_uid", PodLogPaths.PodDirectory(PodLogPaths.DefaultRoot, "ns", "name", "uid"));
        Assert.Equal("main/3.log", PodLogPaths.ContainerLogPath("main", 3));
    }

    private static Korral.Api.Models.CoreV1.Pod HostnamePod(string name, string specYaml) => Pod($$"""
        apiVersion: v1
        kind: Pod
        metadata: {name: {{name}}}
        spec:
          {{specYaml}}
          containers: [{name: c, image: busybox}]
        """);

    private static DNSConfig ClusterDns(string ns) => new()
    {
        Servers = { "10.96.0.10" },
        Searches = { $"{ns}.svc.cluster.local", "svc.cluster.local", "cluster.local", "corp.example" },
        Options = { "ndots:5" },
    };

    internal static NamespaceOption Namespaces(NamespaceMode network, NamespaceMode pid, NamespaceMode ipc) => new()
    {
        Network = network,
        Pid = pid,
        Ipc = ipc,
        UsernsOptions = new UserNamespace { Mode = NamespaceMode.Node },
    };
}
