using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Korral.Proxy.Iptables;

namespace Korral.Proxy.Tests.Fixtures;

/// <summary>
/// A private network namespace held by a child `unshare --net sleep` (never `ip netns add`, whose bind mount of
/// /run/netns can cover containerd's namespaces). Commands reach it through `nsenter --net=/proc/PID/ns/net`, sockets
/// through a thread that joined it. The host's own rules and interfaces are never touched; disposing kills the holder
/// and the namespace with everything in it goes away.
/// </summary>
public sealed class PrivateNetns : IAsyncDisposable
{
    private const int CloneNewNet = 0x40000000;
    private readonly Process _holder;

    private PrivateNetns(Process holder)
    {
        _holder = holder;
        NamespacePath = $"/proc/{holder.Id}/ns/net";
        Prefix = ["nsenter", $"--net={NamespacePath}", "--"];
        Runner = new ProcessCommandRunner(Prefix);
    }

    public string NamespacePath { get; }

    /// <summary>The holder's process id (for `ip link … netns PID`).</summary>
    public int Pid => _holder.Id;

    /// <summary>The command prefix that runs a command inside (ProxyOptions.CommandPrefix).</summary>
    public IReadOnlyList<string> Prefix { get; }

    public ICommandRunner Runner { get; }

    /// <summary>True when this machine can make network namespaces (root with unshare and nsenter).</summary>
    public static bool Available => Environment.UserName == "root" && File.Exists("/usr/bin/unshare") && File.Exists("/usr/bin/nsenter")
        && File.Exists("/usr/sbin/iptables-restore");

    public static async Task<PrivateNetns> StartAsync()
    {
        var start = new ProcessStartInfo("unshare", ["--net", "--", "sleep", "3600"]) { UseShellExecute = false };
        var holder = Process.Start(start) ?? throw new InvalidOperationException("could not start unshare");
        var netns = new PrivateNetns(holder);
        // Until unshare has called unshare(2) and exec'd sleep, its /proc entry still shows the host's namespace.
        var host = ReadLink("/proc/self/ns/net");
        await Eventually.TrueAsync(
            () => Task.FromResult(!holder.HasExited && ReadLink(netns.NamespacePath) is { } link && link != host),
            TimeSpan.FromSeconds(10),
            () => $"unshare (pid {holder.Id}) did not enter a new network namespace");
        (await netns.RunAsync("ip", "link", "set", "lo", "up")).EnsureSuccess();
        return netns;
    }

    public Task<CommandResult> RunAsync(string file, params string[] arguments) => Runner.RunAsync(file, arguments, null, CancellationToken.None);

    /// <summary>iptables-save of the namespace without comments and counters, for comparisons.</summary>
    public async Task<string> SaveAsync()
    {
        var save = (await RunAsync("iptables-save")).EnsureSuccess().Stdout;
        return string.Join('\n', save.Split('\n').Where(l => !l.StartsWith('#')));
    }

    /// <summary>Creates a socket inside the namespace (a socket stays in the namespace it was created in).</summary>
    public Task<Socket> SocketAsync(SocketType type, ProtocolType protocol)
    {
        var result = new TaskCompletionSource<Socket>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                // This thread alone joins the namespace; it ends right after, so no other work ever runs in it.
                using var ns = File.OpenHandle(NamespacePath);
                if (SetNs((int)ns.DangerousGetHandle(), CloneNewNet) != 0)
                {
                    throw new InvalidOperationException($"setns failed: errno {Marshal.GetLastPInvokeError()}");
                }

                result.SetResult(new Socket(AddressFamily.InterNetwork, type, protocol));
            }
            catch (Exception e)
            {
                result.SetException(e);
            }
        });
        thread.Start();
        return result.Task;
    }

    public ValueTask DisposeAsync()
    {
        if (!_holder.HasExited)
        {
            _holder.Kill();
            _holder.WaitForExit();
        }

        _holder.Dispose();
        return ValueTask.CompletedTask;
    }

    private static string? ReadLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
    }

    [DllImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static extern int SetNs(int fd, int nstype);
}
