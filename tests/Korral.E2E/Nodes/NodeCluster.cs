using System.Runtime.InteropServices;
using Korral.E2E.Infrastructure;
using Korral.Kubelet.Hosting;

namespace Korral.E2E.Nodes;

/// <summary>
/// One `korral server` that is also a real node (containerd, CNI bridge, kubelet), shared by every test of the
/// "real node" collection: starting a node costs seconds, running a pod on it about one. The agent keeps its state under
/// the server's temporary root, gets a free kubelet port and image-mirror port, and imports the offline images
/// (images/build → &lt;repo&gt;/out/images/*.tar) placed in its images/ directory before the start.
/// Tests make their own namespaces through <see cref="CreateNamespaceAsync"/>. Disposing deletes their workloads and every
/// pod in default, waits until no pod and no container task is left, deletes the namespaces, stops the server and then
/// checks that nothing of the node outlived it (shims, mounts), failing the run if something did. The node's bridge (cni0)
/// and its /24 of 10.42.0.0/16 stay, as they do after `korral server` on any machine.
/// </summary>
public sealed class NodeCluster : IAsyncLifetime
{
    public const string CollectionName = "real node";

    /// <summary>How long clean-up may wait for pods to go; pods here stop in about a second, the rest is margin for 2 shared cores.</summary>
    private static readonly TimeSpan CleanupTimeout = TimeSpan.FromSeconds(90);

    private readonly Lock _namespacesLock = new();
    private readonly List<string> _namespaces = [];
    private readonly Kubectl _kubectl;

    public NodeCluster()
    {
        var root = KorralServer.NewRoot();
        AgentDataDir = Path.Combine(root, "agent");
        KubeletPort = KorralServer.FreePort();
        MirrorPort = KorralServer.FreePort();
        Server = new KorralServer(
            ["--agent-data-dir", AgentDataDir, "--kubelet-port", Invariant(KubeletPort), "--image-mirror-port", Invariant(MirrorPort)],
            agent: true,
            root: root);
        RunDir = NodeAgentOptions.RunDirFor(AgentDataDir);
        Ctr = new Ctr(Path.Combine(RunDir, "containerd", "containerd.sock"));
        _kubectl = new Kubectl(Server, KubectlVersions.Newest);
    }

    public KorralServer Server { get; }

    /// <summary>The agent's --agent-data-dir: containerd root, CNI config, kubelet dir, images/ to import.</summary>
    public string AgentDataDir { get; }

    /// <summary>The agent's run dir (/run/korral-&lt;hash&gt;): containerd state and socket, runc root.</summary>
    public string RunDir { get; }

    public int KubeletPort { get; }

    /// <summary>Port of the embedded image mirror on 127.0.0.1; images named 127.0.0.1:&lt;port&gt;/… are pulled from it alone.</summary>
    public int MirrorPort { get; }

    /// <summary>`ctr` against the node's containerd, to see what really runs.</summary>
    public Ctr Ctr { get; }

    /// <summary>Where pod logs live on a node (the kubelet's default, not configurable from the command line).</summary>
    public static string PodLogRoot => "/var/log/pods";

    public async Task InitializeAsync()
    {
        PlaceImages();
        await Server.StartAsync();
        // The agent imports before it reports ready; an import that failed would only show later as a confusing pull error.
        foreach (var archive in Directory.GetFiles(Path.Combine(AgentDataDir, "images"), "*.tar"))
        {
            Assert.True(Server.Log.Contains($"imported {Path.GetFileName(archive)}:", StringComparison.Ordinal),
                $"the agent did not import {archive}. Log:\n{Server.Log}");
        }
    }

    /// <summary>Creates a namespace (prefix, kubectl version, random suffix) that disposing the cluster deletes.</summary>
    public async Task<string> CreateNamespaceAsync(Kubectl kubectl, string prefix)
    {
        var name = $"{prefix}-{kubectl.Version.Replace(".", "", StringComparison.Ordinal)}-{Guid.NewGuid().ToString("N")[..6]}";
        lock (_namespacesLock)
        {
            _namespaces.Add(name);
        }

        var result = (await kubectl.RunAsync("create", "namespace", name)).EnsureSuccess();
        Assert.Equal($"namespace/{name} created", result.Stdout.Trim());
        return name;
    }

    /// <summary>
    /// What the node still holds of a pod: its containers and sandbox in containerd, its log directory, its cgroups and its
    /// kubelet directory. Empty once the kubelet has cleaned up after the pod.
    /// </summary>
    public async Task<IReadOnlyList<string>> LeftoversOfPodAsync(string ns, string name, string uid)
    {
        var left = new List<string>();
        left.AddRange((await Ctr.ContainersOfPodAsync(uid)).Select(id => $"containerd container {id}"));
        var logDir = Path.Combine(PodLogRoot, $"{ns}_{name}_{uid}");
        if (Directory.Exists(logDir))
        {
            left.Add($"log directory {logDir}");
        }

        // cgroup v1 hierarchies: kubepods/pod<uid> (Guaranteed) or kubepods/<qos>/pod<uid>, in every controller.
        foreach (var controller in Directory.GetDirectories("/sys/fs/cgroup"))
        {
            foreach (var candidate in new[] { Path.Combine(controller, "kubepods", $"pod{uid}") }
                         .Concat(new[] { "burstable", "besteffort" }.Select(qos => Path.Combine(controller, "kubepods", qos, $"pod{uid}"))))
            {
                if (Directory.Exists(candidate))
                {
                    left.Add($"cgroup {candidate}");
                }
            }
        }

        var podDir = Path.Combine(AgentDataDir, "kubelet", "pods", uid);
        if (Directory.Exists(podDir))
        {
            left.Add($"kubelet pod directory {podDir}");
        }

        return left;
    }

    public async Task DisposeAsync()
    {
        var problems = new List<string>();
        try
        {
            if (Server.IsRunning)
            {
                await DeleteEverythingAsync(problems);
            }
        }
        finally
        {
            if (Server.IsRunning)
            {
                try
                {
                    await Server.StopAsync();
                }
                catch (TimeoutException e)
                {
                    problems.Add(e.Message);
                }
            }

            CheckNothingOutlivedTheNode(problems);
            var log = Server.Log;
            await Server.DisposeAsync();
            RemoveRunDir(problems);
            _kubectl.Dispose();
            if (problems.Count > 0)
            {
                throw new InvalidOperationException(
                    $"the real-node cluster did not clean up:\n  {string.Join("\n  ", problems)}\n--- server log (end) ---\n{Tail(log, 80)}");
            }
        }
    }

    /// <summary>
    /// Deletes the workloads of the tests' namespaces and default's pods, waits until no pod and no container task is left,
    /// then deletes the namespaces. Workloads go first so that a pod's claim outlives the pod whatever the namespace
    /// controller's order (without claim protection a deleted claim's volume vanishes under running pods).
    /// </summary>
    private async Task DeleteEverythingAsync(List<string> problems)
    {
        string[] namespaces;
        lock (_namespacesLock)
        {
            namespaces = [.. _namespaces];
        }

        foreach (var deletion in await Task.WhenAll(namespaces.Append("default").Select(DeleteWorkloadsAsync)))
        {
            if (!deletion.Succeeded)
            {
                problems.Add($"clean-up failed:\n{deletion}");
            }
        }

        try
        {
            await Eventually.WaitAsync(
                async _ => (await _kubectl.RunAsync("get", "pods", "-A", "-o", "name")).Lines,
                pods => pods.Count == 0,
                "every pod to be gone",
                CleanupTimeout,
                pods => string.Join(", ", pods));
            await Eventually.WaitAsync(
                _ => Ctr.TasksAsync(),
                tasks => tasks.Count == 0,
                "no container task left in containerd",
                CleanupTimeout,
                tasks => string.Join(", ", tasks.Select(t => $"{t.Id} (pid {t.Pid}, {t.Status})")));
        }
        catch (Exception e) when (e is Xunit.Sdk.XunitException or InvalidOperationException)
        {
            problems.Add(e.Message);
            await KillTasksAsync(problems);
        }

        if (namespaces.Length > 0)
        {
            var deleted = await _kubectl.RunAsync(["delete", "namespace", "--ignore-not-found", "--wait=false", .. namespaces], null);
            if (!deleted.Succeeded)
            {
                problems.Add($"deleting the test namespaces failed:\n{deleted}");
            }
        }
    }

    /// <summary>
    /// Deletes a namespace's controllers (orphaning their pods) and then its pods with a grace period of 1 s: how containers
    /// stop is for the tests to check, and a pod's first deletion sets the grace period the kubelet keeps (a process that
    /// ignores SIGTERM, as the web app's redis replicas may while racing to save into their shared claim, would hold the
    /// clean-up for 30 s if the garbage collector deleted the pods first).
    /// </summary>
    private async Task<KubectlResult> DeleteWorkloadsAsync(string ns)
    {
        var controllers = await _kubectl.RunAsync("delete", "deployments,replicasets,statefulsets,daemonsets,jobs,cronjobs", "--all", "-n", ns, "--cascade=orphan");
        if (!controllers.Succeeded)
        {
            return controllers;
        }

        return await _kubectl.RunAsync("delete", "pods", "--all", "-n", ns, "--grace-period=1", "--wait=false");
    }

    /// <summary>SIGKILLs every task containerd still runs, so that stopping the node leaves no container behind.</summary>
    private async Task KillTasksAsync(List<string> problems)
    {
        try
        {
            foreach (var task in await Ctr.TasksAsync())
            {
                if (task.Status == "RUNNING")
                {
                    problems.Add($"killing container {task.Id} (pid {task.Pid}), still running at the end");
                    await Ctr.KillAsync(task.Id);
                }
            }
        }
        catch (InvalidOperationException e)
        {
            problems.Add($"could not kill the remaining containers: {e.Message}");
        }
    }

    /// <summary>
    /// After the server stopped: no shim of this node's containerd (its command line names the run dir) and nothing mounted
    /// under the node's directories. Shims found are killed with the containers they run (their descendants), so that a
    /// failed run does not leave containers behind on the machine.
    /// </summary>
    private void CheckNothingOutlivedTheNode(List<string> problems)
    {
        var processes = Processes().ToList();
        var shims = processes.Where(p => p.CommandLine.Contains(RunDir + "/", StringComparison.Ordinal)).ToList();
        foreach (var (pid, _, commandLine) in shims)
        {
            problems.Add($"process {pid} outlived the node: {commandLine}");
        }

        var doomed = new HashSet<int>(shims.Select(s => s.Pid));
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var process in processes.Where(p => doomed.Contains(p.ParentPid) && doomed.Add(p.Pid)))
            {
                problems.Add($"killing {process.Pid} ({process.CommandLine}), started by a shim that outlived the node");
                grew = true;
            }
        }

        foreach (var pid in doomed)
        {
            _ = SendSignal(pid, Sigkill);
        }

        // Unmounted (deepest first) before the directories are deleted, so that deleting them never reaches into a mount.
        var mounts = MountPoints()
            .Where(m => m.StartsWith(Server.Root + "/", StringComparison.Ordinal) || m.StartsWith(RunDir + "/", StringComparison.Ordinal))
            .OrderByDescending(m => m.Length)
            .ToList();
        foreach (var mountPoint in mounts)
        {
            problems.Add($"still mounted: {mountPoint}");
            if (Unmount(mountPoint, MntDetach) != 0)
            {
                problems.Add($"could not unmount {mountPoint} (errno {Marshal.GetLastPInvokeError()})");
            }
        }
    }

    private void RemoveRunDir(List<string> problems)
    {
        try
        {
            if (Directory.Exists(RunDir))
            {
                Directory.Delete(RunDir, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add($"could not remove {RunDir}: {e.Message}");
        }
    }

    /// <summary>Hard-links (or copies, across file systems) the offline image archives into the agent's images/ directory.</summary>
    private void PlaceImages()
    {
        var source = ImagesDirectory();
        var target = Path.Combine(AgentDataDir, "images");
        Directory.CreateDirectory(target);
        foreach (var archive in Directory.GetFiles(source, "*.tar"))
        {
            var destination = Path.Combine(target, Path.GetFileName(archive));
            if (Link(archive, destination) != 0)
            {
                File.Copy(archive, destination);
            }
        }
    }

    /// <summary>&lt;repo&gt;/out/images, the repository found by walking up from the test binaries to Korral.slnx.</summary>
    private static string ImagesDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Korral.slnx")))
            {
                var images = Path.Combine(dir.FullName, "out", "images");
                if (!File.Exists(Path.Combine(images, "nginx.tar")))
                {
                    throw new InvalidOperationException($"{images} has no image archives: run `images/build out/images` in {dir.FullName} (scripts/test does)");
                }

                return images;
            }
        }

        throw new InvalidOperationException($"no Korral.slnx above {AppContext.BaseDirectory}: cannot find out/images");
    }

    /// <summary>Every process of the machine: its PID, its parent's PID (field 4 of /proc/PID/stat) and its command line.</summary>
    private static IEnumerable<(int Pid, int ParentPid, string CommandLine)> Processes()
    {
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            string commandLine;
            int parent;
            try
            {
                commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').Trim();
                // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ')'.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                parent = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // exited meanwhile
            }

            yield return (pid, parent, commandLine);
        }
    }

    /// <summary>Mount points of this mount namespace (field 5 of /proc/self/mountinfo, octal escapes undone).</summary>
    private static IEnumerable<string> MountPoints() =>
        File.ReadAllLines("/proc/self/mountinfo")
            .Select(line => line.Split(' '))
            .Where(fields => fields.Length > 4)
            .Select(fields => System.Text.RegularExpressions.Regex.Replace(fields[4], @"\\([0-7]{3})",
                m => ((char)Convert.ToInt32(m.Groups[1].Value, 8)).ToString()));

    private static string Tail(string text, int lines)
    {
        var all = text.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    private static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private const int Sigkill = 9;
    private const int MntDetach = 2;

    [DllImport("libc", EntryPoint = "umount2", SetLastError = true)]
    private static extern int Unmount([MarshalAs(UnmanagedType.LPUTF8Str)] string target, int flags);

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int Link([MarshalAs(UnmanagedType.LPUTF8Str)] string oldPath, [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath);
}
