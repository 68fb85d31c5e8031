using Google.Protobuf;
using Korral.Api.Models;
using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Cri.V1;
using Korral.Kubelet.Translation;
using static Korral.Kubelet.Tests.Translation.TranslationFixtures;
using Container = Korral.Api.Models.CoreV1.Container;

namespace Korral.Kubelet.Tests.Translation;

public sealed class ContainerConfigBuilderTests
{
    private const string PodDir = "/var/lib/korral/agent/kubelet/pods/" + Uid;
    private const long NodeMemory = 8L << 30;

    private static readonly EnvironmentContext EnvContext = new(
        ["10.42.0.7"], ["192.0.2.2"], new Dictionary<string, Quantity> { ["cpu"] = Quantity.Parse("2"), ["memory"] = Quantity.Parse("8Gi") });

    private static readonly (string, string)[] KubernetesVars =
    [
        ("KUBERNETES_SERVICE_HOST", "10.96.0.1"),
        ("KUBERNETES_SERVICE_PORT", "443"),
        ("KUBERNETES_SERVICE_PORT_HTTPS", "443"),
        ("KUBERNETES_PORT", "tcp://10.96.0.1:443"),
        ("KUBERNETES_PORT_443_TCP", "tcp://10.96.0.1:443"),
        ("KUBERNETES_PORT_443_TCP_PROTO", "tcp"),
        ("KUBERNETES_PORT_443_TCP_PORT", "443"),
        ("KUBERNETES_PORT_443_TCP_ADDR", "10.96.0.1"),
    ];

    private static readonly (string, string)[] WebappServiceVars =
    [
        ("WEBAPP_SERVICE_SERVICE_HOST", "10.96.12.34"),
        ("WEBAPP_SERVICE_SERVICE_PORT", "80"),
        ("WEBAPP_SERVICE_PORT", "tcp://10.96.12.34:80"),
        ("WEBAPP_SERVICE_PORT_80_TCP", "tcp://10.96.12.34:80"),
        ("WEBAPP_SERVICE_PORT_80_TCP_PROTO", "tcp"),
        ("WEBAPP_SERVICE_PORT_80_TCP_PORT", "80"),
        ("WEBAPP_SERVICE_PORT_80_TCP_ADDR", "10.96.12.34"),
    ];

    private readonly FakePodConfigSource _source = new();

    public ContainerConfigBuilderTests()
    {
        _source.Services.Add(Service("default", "kubernetes", "10.96.0.1", ("https", 443, "TCP")));
        _source.Services.Add(Service("default", "webapp-service", "10.96.12.34", (null, 80, "TCP")));
        _source.ConfigMaps.AddRange(ScenarioObjects<ConfigMap>("06-config-and-secret.yaml", "ConfigMap"));
        _source.Secrets.AddRange(ScenarioObjects<Secret>("06-config-and-secret.yaml", "Secret"));
    }

    [Fact]
    public void Golden_01_test_pod()
    {
        var pod = ScenarioPod("01-test-pod.yaml");
        var container = pod.Spec!.Containers![0];

        var result = ContainerConfigBuilder.Build(pod, container, Context(pod, container, "sha256:aa01"));

        var expected = new ContainerConfig
        {
            Metadata = new ContainerMetadata { Name = "test-app-container", Attempt = 0 },
            Image = new ImageSpec { Image = "sha256:aa01", UserSpecifiedImage = "nginx:latest" },
            Envs = { Envs([.. KubernetesVars, .. WebappServiceVars]) },
            Mounts = { HostsMount(), TerminationMount("test-app-container") },
            Labels = { ContainerLabels("test-app-pod", "test-app-container") },
            Annotations =
            {
                ["io.kubernetes.container.hash"] = "658c5e7e",
                ["io.kubernetes.container.restartCount"] = "0",
                ["io.kubernetes.container.terminationMessagePath"] = "/dev/termination-log",
                ["io.kubernetes.container.terminationMessagePolicy"] = "File",
                ["io.kubernetes.pod.terminationGracePeriod"] = "30",
                ["io.kubernetes.container.ports"] = """[{"containerPort":80,"protocol":"TCP"}]""",
                ["io.kubernetes.container.type"] = "container",
            },
            LogPath = "test-app-container/0.log",
            Linux = new LinuxContainerConfig
            {
                Resources = new LinuxContainerResources { CpuShares = 2, CpuPeriod = 100_000, OomScoreAdj = 1000 },
                SecurityContext = DefaultSecurityContext(),
            },
        };
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(expected, result.Value);
    }

    [Fact]
    public void Golden_02_webapp_with_db_pod_after_restarts()
    {
        var pod = ScenarioPod("02-webapp-with-db-pod.yaml");
        var database = pod.Spec!.Containers![1];

        var result = ContainerConfigBuilder.Build(pod, database, Context(pod, database, "sha256:bb02", restartCount: 3));

        var expected = new ContainerConfig
        {
            Metadata = new ContainerMetadata { Name = "database", Attempt = 3 },
            Image = new ImageSpec { Image = "sha256:bb02", UserSpecifiedImage = "redis:latest" },
            Envs = { Envs([.. KubernetesVars, .. WebappServiceVars]) },
            Mounts = { HostsMount(), TerminationMount("database") },
            Labels = { ContainerLabels("webapp-with-db", "database") },
            Annotations =
            {
                ["io.kubernetes.container.hash"] = "b758ed72",
                ["io.kubernetes.container.restartCount"] = "3",
                ["io.kubernetes.container.terminationMessagePath"] = "/dev/termination-log",
                ["io.kubernetes.container.terminationMessagePolicy"] = "File",
                ["io.kubernetes.pod.terminationGracePeriod"] = "30",
                ["io.kubernetes.container.type"] = "container",
            },
            LogPath = "database/3.log",
            Linux = new LinuxContainerConfig
            {
                Resources = new LinuxContainerResources { CpuShares = 2, CpuPeriod = 100_000, OomScoreAdj = 1000 },
                SecurityContext = DefaultSecurityContext(),
            },
        };
        Assert.Equal(expected, result.Value);
    }

    [Fact]
    public void Golden_08_webapp_deployment_with_config_and_secret()
    {
        var pod = TemplatePod("08-webapp-deployment.yaml", "webapp-deployment-6d8f7b9c5d-x2x7k");
        var (webapp, database) = (pod.Spec!.Containers![0], pod.Spec.Containers[1]);
        var dataVolume = new Mount { ContainerPath = "/data", HostPath = PodDir + "/volumes/kubernetes.io~local-volume/pv-data" };

        var webappResult = ContainerConfigBuilder.Build(pod, webapp, Context(pod, webapp, "sha256:aa01"));
        var databaseResult = ContainerConfigBuilder.Build(pod, database, Context(pod, database, "sha256:bb02", volumes: [dataVolume]));

        var expectedWebapp = new ContainerConfig
        {
            Metadata = new ContainerMetadata { Name = "webapp" },
            Image = new ImageSpec { Image = "sha256:aa01", UserSpecifiedImage = "nginx:latest" },
            Envs = { Envs([("DATABASE_URL", "redis://database-service:6379/0"), ("WEBAPP_ENV", "production"), .. KubernetesVars, .. WebappServiceVars]) },
            Mounts = { HostsMount(), TerminationMount("webapp") },
            Labels = { ContainerLabels("webapp-deployment-6d8f7b9c5d-x2x7k", "webapp") },
            Annotations =
            {
                ["io.kubernetes.container.hash"] = "774990ab",
                ["io.kubernetes.container.restartCount"] = "0",
                ["io.kubernetes.container.terminationMessagePath"] = "/dev/termination-log",
                ["io.kubernetes.container.terminationMessagePolicy"] = "File",
                ["io.kubernetes.pod.terminationGracePeriod"] = "30",
                ["io.kubernetes.container.ports"] = """[{"containerPort":80,"protocol":"TCP"}]""",
                ["io.kubernetes.container.type"] = "container",
            },
            LogPath = "webapp/0.log",
            Linux = new LinuxContainerConfig
            {
                Resources = new LinuxContainerResources { CpuShares = 2, CpuPeriod = 100_000, OomScoreAdj = 1000 },
                SecurityContext = DefaultSecurityContext(),
            },
        };
        var expectedDatabase = new ContainerConfig
        {
            Metadata = new ContainerMetadata { Name = "database" },
            Image = new ImageSpec { Image = "sha256:bb02", UserSpecifiedImage = "redis:latest" },
            Envs = { Envs([("DB_ROOT_USERNAME", "admin"), ("DB_ROOT_PASSWORD", "s3cret-pass"), .. KubernetesVars, .. WebappServiceVars]) },
            Mounts = { dataVolume, HostsMount(), TerminationMount("database") },
            Labels = { ContainerLabels("webapp-deployment-6d8f7b9c5d-x2x7k", "database") },
            Annotations =
            {
                ["io.kubernetes.container.hash"] = "b758ed72",
                ["io.kubernetes.container.restartCount"] = "0",
                ["io.kubernetes.container.terminationMessagePath"] = "/dev/termination-log",
                ["io.kubernetes.container.terminationMessagePolicy"] = "File",
                ["io.kubernetes.pod.terminationGracePeriod"] = "30",
                ["io.kubernetes.container.type"] = "container",
            },
            LogPath = "database/0.log",
            Linux = new LinuxContainerConfig
            {
                Resources = new LinuxContainerResources { CpuShares = 2, CpuPeriod = 100_000, OomScoreAdj = 1000 },
                SecurityContext = DefaultSecurityContext(),
            },
        };
        Assert.Equal(expectedWebapp, webappResult.Value);
        Assert.Equal(expectedDatabase, databaseResult.Value);
    }

    public static TheoryData<string, long, long, long, long, long> Resources => new()
    {
        // resources yaml, shares, quota, memory limit, oom_score_adj (node: 8Gi), swap limit
        { "{}", 2, 0, 0, 1000, 0 },
        { "{requests: {cpu: 250m, memory: 1Gi}}", 256, 0, 0, 875, 0 },
        { "{requests: {cpu: 250m, memory: 1Gi}, limits: {cpu: 500m, memory: 2Gi}}", 256, 50_000, 2L << 30, 875, 2L << 30 },
        { "{limits: {cpu: 500m}}", 512, 50_000, 0, 1000 - 1, 0 }, // requests default to limits; no memory request: 999
        { "{requests: {cpu: \"1\", memory: 512Mi}, limits: {cpu: \"1\", memory: 512Mi}}", 1024, 100_000, 512L << 20, -997, 512L << 20 },
        { "{requests: {cpu: 1m, memory: 8Gi}}", 2, 0, 0, 3, 0 }, // the whole node: kept above Guaranteed
        { "{requests: {memory: 1Mi}}", 2, 0, 0, 999, 0 }, // a tiny request: kept below BestEffort
        { "{limits: {cpu: 1m, memory: 16Mi}}", 2, 1000, 16L << 20, -997, 16L << 20 }, // minimum shares and quota
        { "{requests: {cpu: \"300\"}}", 262144, 0, 0, 1000 - 1, 0 }, // maximum shares
    };

    [Theory]
    [MemberData(nameof(Resources))]
    public void Requests_and_limits_become_cgroup_settings_and_an_oom_score_by_qos(
        string resources, long shares, long quota, long memory, long oom, long swap)
    {
        var pod = Pod($$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec:
              containers: [{name: c, image: busybox, resources: {{resources}}}]
            """);

        var config = ContainerConfigBuilder.Build(pod, pod.Spec!.Containers![0], Context(pod, pod.Spec.Containers[0], "img") with { LimitSwapToMemory = true }).Value!;

        Assert.Equal(
            new LinuxContainerResources
            {
                CpuShares = shares,
                CpuPeriod = 100_000,
                CpuQuota = quota,
                MemoryLimitInBytes = memory,
                OomScoreAdj = oom,
                MemorySwapLimitInBytes = swap,
            },
            config.Linux.Resources);
    }

    [Fact]
    public void A_cpu_limit_without_a_request_gives_shares_from_the_limit()
    {
        var container = new Container
        {
            Name = "c",
            Resources = new ResourceRequirements { Limits = new Dictionary<string, Quantity> { ["cpu"] = Quantity.Parse("750m") } },
        };
        var pod = new Pod { Metadata = new() { Name = "p", Namespace = "default" }, Spec = new() { Containers = [container] } };

        var resources = LinuxResourceCalculator.ForContainer(pod, container, NodeMemory);

        Assert.Equal(768, resources.CpuShares);
        Assert.Equal(75_000, resources.CpuQuota);
    }

    [Fact]
    public void A_node_critical_pod_scores_as_guaranteed()
    {
        var pod = Pod("""
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec:
              priorityClassName: system-node-critical
              priority: 2000001000
              containers: [{name: c, image: busybox}]
            """);

        Assert.Equal(-997, OomScoreAdjust.ForContainer(pod, pod.Spec!.Containers![0], NodeMemory));
    }

    [Fact]
    public void The_security_context_merges_pod_and_container_settings()
    {
        var pod = Pod("""
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec:
              hostPID: true
              securityContext:
                runAsUser: 1000
                runAsGroup: 1000
                fsGroup: 2000
                supplementalGroups: [3000]
                seccompProfile: {type: RuntimeDefault}
              containers:
              - name: c
                image: busybox
                securityContext:
                  runAsGroup: 4000
                  readOnlyRootFilesystem: true
                  allowPrivilegeEscalation: false
                  capabilities: {add: [NET_ADMIN, SYS_TIME], drop: [ALL]}
                  procMount: Unmasked
            """);
        var container = pod.Spec!.Containers![0];

        var config = ContainerConfigBuilder.Build(pod, container, Context(pod, container, "img") with { ImageUserOverride = new ImageUser(null, "nginx") }).Value!;

        Assert.Equal(
            new LinuxContainerSecurityContext
            {
                Capabilities = new Capability { AddCapabilities = { "NET_ADMIN", "SYS_TIME" }, DropCapabilities = { "ALL" } },
                NamespaceOptions = SandboxConfigBuilderTests.Namespaces(NamespaceMode.Pod, NamespaceMode.Node, NamespaceMode.Pod),
                RunAsUser = new Int64Value { Value = 1000 },
                RunAsGroup = new Int64Value { Value = 4000 },
                ReadonlyRootfs = true,
                SupplementalGroups = { 2000, 3000 },
                NoNewPrivs = true,
                Seccomp = new SecurityProfile { ProfileType = SecurityProfile.Types.ProfileType.RuntimeDefault },
            },
            config.Linux.SecurityContext);
    }

    [Theory]
    [InlineData(101L, "", 101L, "")]
    [InlineData(null, "nginx", null, "nginx")]
    [InlineData(0L, "", 0L, "")]
    public void Without_run_as_user_the_images_user_is_sent(long? imageUid, string imageUsername, long? runAsUser, string runAsUsername)
    {
        var pod = ScenarioPod("01-test-pod.yaml");
        var container = pod.Spec!.Containers![0];

        var sc = ContainerConfigBuilder.Build(pod, container, Context(pod, container, "img") with { ImageUserOverride = new ImageUser(imageUid, imageUsername) })
            .Value!.Linux.SecurityContext;

        Assert.Equal(runAsUser, sc.RunAsUser?.Value);
        Assert.Equal(runAsUsername, sc.RunAsUsername);
    }

    [Fact]
    public void A_localhost_seccomp_profile_is_found_under_the_profile_root()
    {
        var pod = Pod("""
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec:
              containers:
              - {name: c, image: busybox, securityContext: {seccompProfile: {type: Localhost, localhostProfile: profiles/audit.json}}}
              - {name: d, image: busybox, securityContext: {seccompProfile: {type: Localhost}}}
            """);

        var ok = ContainerConfigBuilder.Build(pod, pod.Spec!.Containers![0], Context(pod, pod.Spec.Containers[0], "img") with { SeccompProfileRoot = "/var/lib/kubelet/seccomp" });
        var missing = ContainerConfigBuilder.Build(pod, pod.Spec.Containers[1], Context(pod, pod.Spec.Containers[1], "img"));

        Assert.Equal(
            new SecurityProfile { ProfileType = SecurityProfile.Types.ProfileType.Localhost, LocalhostRef = "/var/lib/kubelet/seccomp/profiles/audit.json" },
            ok.Value!.Linux.SecurityContext.Seccomp);
        Assert.Equal("localhostProfile must be set if seccompProfile type is Localhost.", missing.Error);
    }

    [Fact]
    public void Run_as_non_root_failures_stop_the_build()
    {
        var pod = Pod("""
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec:
              securityContext: {runAsNonRoot: true}
              containers: [{name: c, image: busybox}]
            """);

        var result = ContainerConfigBuilder.Build(pod, pod.Spec!.Containers![0], Context(pod, pod.Spec.Containers[0], "img"));

        Assert.Equal($"container has runAsNonRoot and image will run as root (pod: \"p_default({Uid})\", container: c)", result.Error);
    }

    [Fact]
    public void Command_args_working_dir_tty_and_lifecycle_are_carried_over()
    {
        var pod = Pod("""
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec:
              terminationGracePeriodSeconds: 5
              initContainers:
              - name: init
                image: busybox
                command: [sh, -c]
                args: ["echo $(MESSAGE) > /work/out"]
                workingDir: /work
                env: [{name: MESSAGE, value: hi}]
                stdin: true
                stdinOnce: true
                tty: true
                terminationMessagePath: /tmp/done
                terminationMessagePolicy: FallbackToLogsOnError
                lifecycle: {preStop: {exec: {command: [/bin/sh, -c, sleep 1]}}}
                ports: [{name: metrics, containerPort: 9090, hostPort: 19090, hostIP: 127.0.0.1, protocol: UDP}]
              containers: [{name: c, image: busybox}]
            """);
        pod.Metadata!.DeletionGracePeriodSeconds = 5;
        var init = pod.Spec!.InitContainers![0];

        var config = ContainerConfigBuilder.Build(pod, init, Context(pod, init, "img")).Value!;

        Assert.Equal(["sh", "-c"], config.Command);
        Assert.Equal(["echo hi > /work/out"], config.Args);
        Assert.Equal("/work", config.WorkingDir);
        Assert.True(config.Stdin && config.StdinOnce && config.Tty);
        Assert.Equal(new Mount { ContainerPath = "/tmp/done", HostPath = PodDir + "/containers/init/0a1b2c3d" }, config.Mounts[^1]);
        Assert.Equal("init", config.Annotations["io.kubernetes.container.type"]);
        Assert.Equal("/tmp/done", config.Annotations["io.kubernetes.container.terminationMessagePath"]);
        Assert.Equal("FallbackToLogsOnError", config.Annotations["io.kubernetes.container.terminationMessagePolicy"]);
        Assert.Equal("5", config.Annotations["io.kubernetes.pod.terminationGracePeriod"]);
        Assert.Equal("5", config.Annotations["io.kubernetes.pod.deletionGracePeriod"]);
        Assert.Equal("""{"exec":{"command":["/bin/sh","-c","sleep 1"]}}""", config.Annotations["io.kubernetes.container.preStopHandler"]);
        Assert.Equal(
            """[{"name":"metrics","hostPort":19090,"containerPort":9090,"protocol":"UDP","hostIP":"127.0.0.1"}]""",
            config.Annotations["io.kubernetes.container.ports"]);
        Assert.Equal("MESSAGE", config.Envs[0].Key);
        Assert.Equal("hi", config.Envs[0].Value.ToStringUtf8());
    }

    [Fact]
    public void The_hosts_file_is_mounted_only_once_the_pod_has_an_ip_or_uses_the_host_network_and_never_over_a_volume()
    {
        var pod = Pod("""
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec:
              containers:
              - {name: plain, image: busybox}
              - {name: own-hosts, image: busybox, volumeMounts: [{name: h, mountPath: /etc/hosts}]}
              volumes: [{name: h, emptyDir: {}}]
            """);
        var (plain, ownHosts) = (pod.Spec!.Containers![0], pod.Spec.Containers[1]);

        Assert.True(HostsFile.ShouldMount(pod, plain, ["10.42.0.7"]));
        Assert.False(HostsFile.ShouldMount(pod, plain, []));
        Assert.False(HostsFile.ShouldMount(pod, ownHosts, ["10.42.0.7"]));
        pod.Spec.HostNetwork = true;
        Assert.True(HostsFile.ShouldMount(pod, plain, []));

        var config = ContainerConfigBuilder.Build(pod, plain, Context(pod, plain, "img") with { PodIPs = [], EtcHostsHostPath = null }).Value!;
        Assert.DoesNotContain(config.Mounts, m => m.ContainerPath == "/etc/hosts");
    }

    [Fact]
    public void The_hash_follows_name_and_image_only()
    {
        var a = new Container { Name = "web", Image = "nginx:1.25", Args = ["a"] };
        var sameButArgs = new Container { Name = "web", Image = "nginx:1.25", Args = ["b"] };
        var otherImage = new Container { Name = "web", Image = "nginx:1.27" };

        Assert.Equal(ContainerHash.Compute(a), ContainerHash.Compute(sameButArgs));
        Assert.NotEqual(ContainerHash.Compute(a), ContainerHash.Compute(otherImage));
        Assert.True(ContainerHash.Matches(sameButArgs, ContainerHash.Format(ContainerHash.Compute(a))));
        Assert.False(ContainerHash.Matches(otherImage, ContainerHash.Format(ContainerHash.Compute(a))));
    }

    private TestContext Context(Pod pod, Container container, string imageRef, int restartCount = 0, IReadOnlyList<Mount>? volumes = null)
    {
        var env = new EnvironmentResolver(_source).Resolve(pod, container, EnvContext);
        Assert.True(env.Succeeded, env.Error);
        return new TestContext(container.Name!, env.Value!, volumes ?? [], imageRef, restartCount);
    }

    private static IEnumerable<KeyValue> Envs(IEnumerable<(string Name, string Value)> vars) =>
        vars.Select(v => new KeyValue { Key = v.Name, Value = ByteString.CopyFromUtf8(v.Value) });

    private static Mount HostsMount() => new() { ContainerPath = "/etc/hosts", HostPath = PodDir + "/etc-hosts" };

    private static Mount TerminationMount(string container) =>
        new() { ContainerPath = "/dev/termination-log", HostPath = $"{PodDir}/containers/{container}/0a1b2c3d" };

    private static Dictionary<string, string> ContainerLabels(string pod, string container) => new()
    {
        ["io.kubernetes.pod.name"] = pod,
        ["io.kubernetes.pod.namespace"] = "default",
        ["io.kubernetes.pod.uid"] = Uid,
        ["io.kubernetes.container.name"] = container,
    };

    private static LinuxContainerSecurityContext DefaultSecurityContext() => new()
    {
        NamespaceOptions = SandboxConfigBuilderTests.Namespaces(NamespaceMode.Pod, NamespaceMode.Container, NamespaceMode.Pod),
        RunAsUser = new Int64Value { Value = 0 },
        Seccomp = new SecurityProfile { ProfileType = SecurityProfile.Types.ProfileType.Unconfined },
        MaskedPaths = { SecurityContextTranslator.DefaultMaskedPaths },
        ReadonlyPaths = { SecurityContextTranslator.DefaultReadonlyPaths },
    };

    /// <summary>The context a node would pass: the pod's IP, its hosts file and a termination message file per container.</summary>
    private sealed record TestContext(string ContainerName, IReadOnlyList<ResolvedEnvVar> Environment, IReadOnlyList<Mount> Volumes, string ImageRef, int RestartCount)
    {
        public ImageUser ImageUserOverride { get; init; } = ImageUser.Root;

        public IReadOnlyList<string> PodIPs { get; init; } = ["10.42.0.7"];

        public string? EtcHostsHostPath { get; init; } = PodDir + "/etc-hosts";

        public string SeccompProfileRoot { get; init; } = "/var/lib/kubelet/seccomp";

        public bool LimitSwapToMemory { get; init; }

        public static implicit operator ContainerContext(TestContext c) =>
            new(c.Environment, c.Volumes, c.ImageRef, c.RestartCount, c.ImageUserOverride, NodeMemory, c.PodIPs)
            {
                EtcHostsHostPath = c.EtcHostsHostPath,
                TerminationMessageHostPath = $"{PodDir}/containers/{c.ContainerName}/0a1b2c3d",
                SeccompProfileRoot = c.SeccompProfileRoot,
                LimitSwapToMemory = c.LimitSwapToMemory,
            };
    }
}
