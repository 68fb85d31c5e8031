using System.Diagnostics;

namespace Korral.Bench.Proxy;

/// <summary>
/// A private network namespace held by `unshare --net sleep` (never `ip netns add`), entered with nsenter: the
/// benchmark's rules never reach the host's tables. Disposing kills the holder, and the namespace goes with it.
/// </summary>
internal sealed class PrivateNamespace : IDisposable
{
    private readonly Process _holder;

    private PrivateNamespace(Process holder)
    {
        _holder = holder;
        Prefix = ["nsenter", $"--net=/proc/{holder.Id}/ns/net", "--"];
    }

    public IReadOnlyList<string> Prefix { get; }

    public static async Task<PrivateNamespace> StartAsync()
    {
        var holder = Process.Start(new ProcessStartInfo("unshare", ["--net", "--", "sleep", "3600"]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("could not start unshare");
        var host = new FileInfo("/proc/self/ns/net").LinkTarget;
        var deadline = Stopwatch.StartNew();
        // Until unshare has entered the new namespace, its /proc entry still shows the host's.
        while (SafeLink($"/proc/{holder.Id}/ns/net") is not { } link || link == host)
        {
            if (holder.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(10))
            {
                holder.Dispose();
                throw new InvalidOperationException("unshare --net did not start (root needed)");
            }

            await Task.Delay(10);
        }

        return new PrivateNamespace(holder);
    }

    public void Dispose()
    {
        if (!_holder.HasExited)
        {
            _holder.Kill();
            _holder.WaitForExit();
        }

        _holder.Dispose();
    }

    private static string? SafeLink(string path)
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
}
