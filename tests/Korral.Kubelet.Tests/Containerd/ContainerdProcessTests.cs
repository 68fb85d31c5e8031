using Korral.Kubelet.Containerd;
using Korral.Kubelet.Cri;
using Korral.Kubelet.Cri.V1;
using Korral.Kubelet.Tests.Fixtures;

namespace Korral.Kubelet.Tests.Containerd;

/// <summary>containerd as a child process: the fixture's start, reuse of a running instance, and the failures an operator sees.</summary>
[Collection(ContainerdCollection.Name)]
public sealed class ContainerdProcessTests(ContainerdFixture containerd) : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("korral-cd-");
    private readonly List<string> _log = [];

    [Fact]
    public void FixtureStartedItsOwnContainerdWithTheRenderedConfig()
    {
        Assert.False(containerd.Process.Reused);
        Assert.NotNull(containerd.Process.ProcessId);
        Assert.Equal(containerd.Options.Socket, containerd.Process.SocketPath);
        Assert.Equal("containerd", containerd.Process.Version.RuntimeName);
        Assert.Equal(ContainerdConfig.Render(containerd.Options), File.ReadAllText(containerd.Options.ConfigPath));
        Assert.Contains("--- korral starts ", File.ReadAllText(containerd.Options.LogFile), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ContainerdAlreadyAnsweringOnTheSocketIsReusedAndLeftRunning()
    {
        var second = await ContainerdProcess.StartAsync(containerd.Options, _log.Add, CancellationToken.None);
        Assert.True(second.Reused);
        Assert.Null(second.ProcessId);
        Assert.Equal(containerd.SocketPath, second.SocketPath);
        Assert.Contains(_log, line => line.Contains("already answers", StringComparison.Ordinal));

        await second.DisposeAsync();

        var version = await containerd.Client.VersionAsync(new VersionRequest(), CancellationToken.None);
        Assert.Equal("containerd", version.RuntimeName);
    }

    [Fact]
    public async Task ContainersOutliveAStoppedContainerdAndTheNextOneAdoptsThem()
    {
        // A second containerd of its own; host-network pods keep CNI out of it.
        var options = Options() with { CniConfDir = containerd.Options.CniConfDir, SandboxImage = ContainerdFixture.PauseImage };
        string? sandboxId = null;
        var first = await ContainerdProcess.StartAsync(options, _log.Add, CancellationToken.None);
        try
        {
            foreach (var archive in new[] { "pause.tar", "busybox.tar" })
            {
                await Command.RunAsync("ctr", ["-a", options.Socket, "-n", "k8s.io", "images", "import",
                    Path.Combine(await TestImages.DirectoryAsync(CancellationToken.None), archive)], CancellationToken.None);
            }

            string containerId;
            using (var client = new CriClient(options.Socket))
            {
                var sandbox = containerd.NewSandboxConfig("adopt");
                sandbox.Linux.SecurityContext = new LinuxSandboxSecurityContext { NamespaceOptions = new NamespaceOption { Network = NamespaceMode.Node } };
                // As the kubelet does for hostNetwork pods: the node's UTS namespace, so no hostname of its own.
                sandbox.Hostname = "";
                sandboxId = (await client.RunPodSandboxAsync(new RunPodSandboxRequest { Config = sandbox }, CancellationToken.None)).PodSandboxId;
                var config = ContainerdFixture.NewContainerConfig("sleeper", ContainerdFixture.BusyboxImage, "sleep", "3600");
                containerId = (await client.CreateContainerAsync(
                    new CreateContainerRequest { PodSandboxId = sandboxId, Config = config, SandboxConfig = sandbox }, CancellationToken.None)).ContainerId;
                await client.StartContainerAsync(new StartContainerRequest { ContainerId = containerId }, CancellationToken.None);
            }

            await first.DisposeAsync();
            first = await ContainerdProcess.StartAsync(options, _log.Add, CancellationToken.None);

            Assert.False(first.Reused);
            using var again = new CriClient(options.Socket);
            var status = (await again.ContainerStatusAsync(new ContainerStatusRequest { ContainerId = containerId }, CancellationToken.None)).Status;
            Assert.Equal(ContainerState.ContainerRunning, status.State);
        }
        finally
        {
            if (sandboxId is not null)
            {
                using var client = new CriClient(options.Socket);
                await client.StopPodSandboxAsync(new StopPodSandboxRequest { PodSandboxId = sandboxId }, CancellationToken.None);
                await client.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = sandboxId }, CancellationToken.None);
            }

            await first.DisposeAsync();
            await Mounts.UnmountUnderAsync(_directory.FullName);
        }
    }

    [Theory]
    [InlineData("/nonexistent/bin/containerd")]
    [InlineData("korral-no-such-containerd")]
    public async Task MissingBinarySaysHowToInstallIt(string binary)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ContainerdProcess.StartAsync(Options() with { BinaryPath = binary }, _log.Add, CancellationToken.None));

        Assert.StartsWith("containerd not found: install the containerd package (scripts/up does)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ContainerdThatExitsAtOnceIsReportedWithItsLogTail()
    {
        var binary = Script("echo 'level=fatal msg=\"boom: bad config\"' >&2; exit 1");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ContainerdProcess.StartAsync(Options() with { BinaryPath = binary }, _log.Add, CancellationToken.None));

        Assert.Contains("containerd exited with code 1 before it answered on ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("level=fatal msg=\"boom: bad config\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ContainerdThatNeverAnswersTimesOutAndIsStopped()
    {
        var pidFile = Path.Combine(_directory.FullName, "pid");
        var binary = Script($"echo $$ > {pidFile}; echo still loading; exec sleep 600");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ContainerdProcess.StartAsync(
            Options() with { BinaryPath = binary, StartTimeout = TimeSpan.FromMilliseconds(500) }, _log.Add, CancellationToken.None));

        Assert.Contains("did not answer on ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("still loading", error.Message, StringComparison.Ordinal);
        var pid = File.ReadAllText(pidFile).Trim();
        Assert.False(Directory.Exists($"/proc/{pid}"), $"the child {pid} still runs");
    }

    [Fact]
    public async Task InvalidOptionsAreRejectedBeforeAnythingStarts()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            ContainerdProcess.StartAsync(Options() with { Root = "relative" }, _log.Add, CancellationToken.None));

        Assert.Contains("containerd Root must be an absolute path", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Delete(recursive: true);

    private ContainerdOptions Options() =>
        ContainerdOptions.ForAgent(Path.Combine(_directory.FullName, "agent"), Path.Combine(_directory.FullName, "state"));

    private string Script(string body)
    {
        var path = Path.Combine(_directory.FullName, "fake-containerd");
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return path;
    }
}
