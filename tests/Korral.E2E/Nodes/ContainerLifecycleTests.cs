using Korral.E2E.Infrastructure;

namespace Korral.E2E.Nodes;

/// <summary>
/// What a container goes through on a real node, as kubectl shows it: a crashing container in CrashLoopBackOff, an image
/// that does not exist (ErrImagePull, ImagePullBackOff), run-to-completion pods (Completed, Error), an init container that
/// runs first (Init:0/1), postStart and preStop hooks. Each test in a namespace of its own; the long-running containers
/// stop on SIGTERM so deleting them takes no grace period.
/// </summary>
[Collection(NodeCluster.CollectionName)]
public sealed class ContainerLifecycleTests(NodeCluster cluster) : NodeTest(cluster)
{
    /// <summary>A busybox shell that runs until SIGTERM (a shell as PID 1 would otherwise ignore it for the whole grace period).</summary>
    private const string UntilTerminated = "trap 'exit 0' TERM; sleep 3600 & wait";

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Crashing_container_restarts_and_reaches_CrashLoopBackOff(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateNamespaceAsync(kubectl, "crash");
        await ApplyAsync(kubectl, ns, "crasher.yaml", """
            apiVersion: v1
            kind: Pod
            metadata:
              name: crasher
            spec:
              containers:
              - name: app
                image: busybox:1.28
                command: ["sh", "-c", "echo crashing; exit 3"]
            """);

        await using (var watch = PodWatch.Pod(kubectl, ns, "crasher"))
        {
            await watch.WaitForAsync("crasher", r => r is { Status: "CrashLoopBackOff", Restarts: >= 1 }, "CrashLoopBackOff after a restart");
        }

        var get = (await kubectl.RunAsync("get", "pod", "crasher", "-n", ns, "--no-headers")).EnsureSuccess();
        Assert.Matches(@"^crasher\s+0/1\s+(CrashLoopBackOff|Error)\s+[1-9]\d* \(\d+s ago\)\s+\d+s$", get.Lines[0]);

        var status = ContainerStatus(await PodAsync(kubectl, ns, "crasher"), "app");
        Assert.True(status.GetProperty("restartCount").GetInt32() >= 1, $"no restart counted: {status}");
        var last = status.GetProperty("lastState").GetProperty("terminated");
        Assert.Equal(3, last.GetProperty("exitCode").GetInt32());
        Assert.Equal("Error", last.GetProperty("reason").GetString());

        var events = await WaitForEventsAsync(kubectl, ns, "crasher", "BackOff");
        var uid = (await PodAsync(kubectl, ns, "crasher")).GetProperty("metadata").GetProperty("uid").GetString();
        Assert.Contains($"Warning BackOff Back-off restarting failed container app in pod crasher_{ns}({uid})", events);

        var previous = (await kubectl.RunAsync("logs", "crasher", "-n", ns, "--previous")).EnsureSuccess();
        Assert.Equal("crashing", previous.Stdout.Trim());
    }

    [Theory]
    [MemberData(nameof(KubectlVersions.Both), MemberType = typeof(KubectlVersions))]
    public async Task Image_that_does_not_exist_gives_ErrImagePull_then_ImagePullBackOff(string version)
    {
        var kubectl = Kubectl(version);
        var ns = await CreateNamespaceAsync(kubectl, "noimage");
        // On the node's own mirror, so the failed pull never leaves this machine (docker.io names fall back to the internet).
        var image = $"127.0.0.1:{Cluster.MirrorPort}/library/busybox:no-such-tag";
        await ApplyAsync(kubectl, ns, "no-image.yaml", $"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: no-image
            spec:
              containers:
              - name: app
                image: {image}
            """);

        await using (var watch = PodWatch.Pod(kubectl, ns, "no-image"))
        {
            await watch.WaitForAsync("no-image", r => r.Status == "ErrImagePull", "ErrImagePull");
            await watch.WaitForAsync("no-image", r => r.Status == "ImagePullBackOff", "ImagePullBackOff");
        }

        var waiting = ContainerStatus(await PodAsync(kubectl, ns, "no-image"), "app").GetProperty("state").GetProperty("waiting");
        Assert.Equal("ImagePullBackOff", waiting.GetProperty("reason").GetString());
        Assert.StartsWith($"Back-off pulling image \"{image}\"", waiting.GetProperty("message").GetString(), StringComparison.Ordinal);

        var events = await WaitForEventsAsync(kubectl, ns, "no-image", "Pulling", "Failed", "BackOff");
        Assert.Contains($"Normal Pulling Pulling image \"{image}\"", events);
        // As upstream: the gRPC status as Go prints it, without the CRI method name.
        Assert.Contains(events, e => e.StartsWith($"Warning Failed Failed to pull image \"{image}\": rpc error: code = NotFound desc = ", StringComparison.Ordinal));
        Assert.Contains("Warning Failed Error: ErrImagePull", events);
        Assert.Contains($"Normal BackOff Back-off pulling image \"{image}\"", events);
        Assert.Contains("Warning Failed Error: ImagePullBackOff", events);
    }

    [Fact]
    public async Task Run_to_completion_pods_end_Completed_or_Error_with_their_exit_code_and_logs()
    {
        var kubectl = Kubectl(KubectlVersions.Newest);
        var ns = await CreateNamespaceAsync(kubectl, "once");
        await ApplyAsync(kubectl, ns, "once.yaml", """
            apiVersion: v1
            kind: Pod
            metadata:
              name: done
            spec:
              restartPolicy: Never
              containers:
              - name: app
                image: busybox:1.28
                command: ["echo", "done"]
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: failed
            spec:
              restartPolicy: Never
              containers:
              - name: app
                image: busybox:1.28
                command: ["sh", "-c", "echo failing; exit 2"]
            """);

        await using (var watch = PodWatch.All(kubectl, ns))
        {
            await watch.WaitForSetAsync(
                pods => pods.TryGetValue("done", out var done) && done is { Ready: "0/1", Status: "Completed" }
                        && pods.TryGetValue("failed", out var failed) && failed is { Ready: "0/1", Status: "Error" },
                "done Completed and failed Error");
        }

        var done = await PodAsync(kubectl, ns, "done");
        Assert.Equal("Succeeded", done.GetProperty("status").GetProperty("phase").GetString());
        var doneState = ContainerStatus(done, "app").GetProperty("state").GetProperty("terminated");
        Assert.Equal(0, doneState.GetProperty("exitCode").GetInt32());
        Assert.Equal("Completed", doneState.GetProperty("reason").GetString());
        Assert.Equal(0, ContainerStatus(done, "app").GetProperty("restartCount").GetInt32());

        var failed = await PodAsync(kubectl, ns, "failed");
        Assert.Equal("Failed", failed.GetProperty("status").GetProperty("phase").GetString());
        var failedState = ContainerStatus(failed, "app").GetProperty("state").GetProperty("terminated");
        Assert.Equal(2, failedState.GetProperty("exitCode").GetInt32());
        Assert.Equal("Error", failedState.GetProperty("reason").GetString());

        Assert.Equal("done", (await WaitForLogsAsync(kubectl, ns, "done", null, l => l.Length > 0, "its output")).Trim());
        Assert.Equal("failing", (await WaitForLogsAsync(kubectl, ns, "failed", null, l => l.Length > 0, "its output")).Trim());
    }

    [Fact]
    public async Task Init_container_runs_to_completion_before_the_main_container_starts()
    {
        var kubectl = Kubectl(KubectlVersions.Oldest);
        var ns = await CreateNamespaceAsync(kubectl, "init");
        await ApplyAsync(kubectl, ns, "with-init.yaml", $$"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: with-init
            spec:
              initContainers:
              - name: prepare
                image: busybox:1.28
                command: ["sh", "-c", "sleep 1; echo prepared by init > /work/marker"]
                volumeMounts:
                - name: work
                  mountPath: /work
              containers:
              - name: app
                image: busybox:1.28
                command: ["sh", "-c", "cat /work/marker; {{UntilTerminated}}"]
                volumeMounts:
                - name: work
                  mountPath: /work
              volumes:
              - name: work
                emptyDir: {}
            """);

        await using (var watch = PodWatch.Pod(kubectl, ns, "with-init"))
        {
            await watch.WaitForAsync("with-init", r => r.Status == "Init:0/1", "Init:0/1");
            await watch.WaitForAsync("with-init", r => r is { Ready: "1/1", Status: "Running" }, "1/1 Running");
        }

        var pod = await PodAsync(kubectl, ns, "with-init");
        var init = ContainerStatus(pod, "prepare").GetProperty("state").GetProperty("terminated");
        Assert.Equal("Completed", init.GetProperty("reason").GetString());
        Assert.Equal(0, init.GetProperty("exitCode").GetInt32());
        var started = ContainerStatus(pod, "app").GetProperty("state").GetProperty("running").GetProperty("startedAt").GetDateTimeOffset();
        Assert.True(init.GetProperty("finishedAt").GetDateTimeOffset() <= started, $"app started before prepare finished: {pod.GetProperty("status")}");

        Assert.Equal("prepared by init", (await WaitForLogsAsync(kubectl, ns, "with-init", "app", l => l.Length > 0, "the marker")).Trim());
    }

    [Fact]
    public async Task PostStart_and_preStop_hooks_run_in_the_container()
    {
        var kubectl = Kubectl(KubectlVersions.Newest);
        var ns = await CreateNamespaceAsync(kubectl, "hooks");
        // The hooks write into a host directory of this test's own, where the test can look after the pod is gone.
        var outDir = Path.Combine(Server.Root, $"hooks-{Guid.NewGuid().ToString("N")[..8]}");
        await ApplyAsync(kubectl, ns, "hooks.yaml", $$"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: hooks
            spec:
              containers:
              - name: app
                image: busybox:1.28
                command: ["sh", "-c", "{{UntilTerminated}}"]
                lifecycle:
                  postStart:
                    exec:
                      command: ["sh", "-c", "echo post-start of $(hostname) > /out/post-start"]
                  preStop:
                    exec:
                      command: ["sh", "-c", "echo pre-stop of $(hostname) > /out/pre-stop"]
                volumeMounts:
                - name: out
                  mountPath: /out
              volumes:
              - name: out
                hostPath:
                  path: {{outDir}}
                  type: DirectoryOrCreate
            """);

        await using (var watch = PodWatch.Pod(kubectl, ns, "hooks"))
        {
            await watch.WaitForAsync("hooks", r => r is { Ready: "1/1", Status: "Running" }, "1/1 Running");
        }

        var postStart = Path.Combine(outDir, "post-start");
        await Eventually.WaitAsync(_ => Task.FromResult(File.Exists(postStart)), exists => exists, $"{postStart} from the postStart hook", ConditionTimeout);
        Assert.Equal("post-start of hooks", (await File.ReadAllTextAsync(postStart)).Trim());
        Assert.False(File.Exists(Path.Combine(outDir, "pre-stop")), "preStop ran while the pod was running");

        (await kubectl.RunAsync(["delete", "pod", "hooks", "-n", ns, "--timeout=60s"], null, TimeSpan.FromSeconds(70))).EnsureSuccess();
        var preStop = Path.Combine(outDir, "pre-stop");
        Assert.True(File.Exists(preStop), "the pod was deleted without its preStop hook having run");
        Assert.Equal("pre-stop of hooks", (await File.ReadAllTextAsync(preStop)).Trim());
    }

    [Fact]
    public async Task Shorter_grace_period_given_while_terminating_stops_the_pod_sooner()
    {
        var kubectl = Kubectl(KubectlVersions.Newest);
        var ns = await CreateNamespaceAsync(kubectl, "grace");
        // A shell as PID 1 ignores SIGTERM: the container only stops when the grace period ends.
        await ApplyAsync(kubectl, ns, "stubborn.yaml", """
            apiVersion: v1
            kind: Pod
            metadata:
              name: stubborn
            spec:
              terminationGracePeriodSeconds: 60
              containers:
              - name: app
                image: busybox:1.28
                command: ["sh", "-c", "sleep 3600"]
            """);
        await using (var watch = PodWatch.Pod(kubectl, ns, "stubborn"))
        {
            await watch.WaitForAsync("stubborn", r => r is { Ready: "1/1", Status: "Running" }, "1/1 Running");
        }

        (await kubectl.RunAsync("delete", "pod", "stubborn", "-n", ns, "--wait=false")).EnsureSuccess();
        (await kubectl.RunAsync("delete", "pod", "stubborn", "-n", ns, "--grace-period=1", "--wait=false")).EnsureSuccess();
        var grace = (await kubectl.RunAsync("get", "pod", "stubborn", "-n", ns, "-o", "jsonpath={.metadata.deletionGracePeriodSeconds}")).EnsureSuccess();
        Assert.Equal("1", grace.Stdout.Trim());

        // Upstream's kubelet restarts the stop with the shorter period (at least 2 s); far below the 60 s first asked for.
        var gone = await kubectl.RunAsync(["wait", "--for=delete", "pod/stubborn", "-n", ns, "--timeout=20s"], null, TimeSpan.FromSeconds(30));
        Assert.True(gone.Succeeded, $"the pod outlived its shortened grace period of 1 s by far\n{gone}");
    }
}
