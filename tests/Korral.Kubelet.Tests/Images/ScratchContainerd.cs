using System.Diagnostics;
using System.Net.Sockets;

namespace Korral.Kubelet.Tests.Images;

/// <summary>
/// A containerd of the test's own (temp root, state, socket and runc root; registry hosts from <see cref="CertsDir"/>),
/// enough to pull images through the CRI. It runs no pods, so it needs no network of its own. Dispose stops it and
/// removes its directory.
/// </summary>
internal sealed class ScratchContainerd : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private ScratchContainerd(string root, Process process, StreamWriter log)
    {
        Root = root;
        _process = process;
        _log = log;
    }

    /// <summary>The directory everything lives under (short, so the socket path fits a sockaddr_un).</summary>
    public string Root { get; }

    public string Socket => Path.Combine(Root, "state", "containerd.sock");

    /// <summary>containerd's registry config_path: certs.d/&lt;registry&gt;/hosts.toml, read on each pull.</summary>
    public string CertsDir => Path.Combine(Root, "certs.d");

    public string LogFile => Path.Combine(Root, "containerd.log");

    public static async Task<ScratchContainerd> StartAsync(TimeSpan timeout)
    {
        var root = Path.Combine("/tmp", "kimg-" + Guid.NewGuid().ToString("n")[..8]);
        Directory.CreateDirectory(Path.Combine(root, "certs.d"));
        Directory.CreateDirectory(Path.Combine(root, "net.d"));
        var config = Path.Combine(root, "config.toml");
        await File.WriteAllTextAsync(config, $"""
            version = 2
            root = "{root}/root"
            state = "{root}/state"
            [grpc]
              address = "{root}/state/containerd.sock"
            [ttrpc]
              address = "{root}/state/containerd.sock.ttrpc"
            [plugins]
              [plugins."io.containerd.grpc.v1.cri"]
                restrict_oom_score_adj = true
                [plugins."io.containerd.grpc.v1.cri".containerd]
                  snapshotter = "overlayfs"
                  default_runtime_name = "runc"
                  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
                    runtime_type = "io.containerd.runc.v2"
                    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
                      Root = "{root}/state/runc"
                [plugins."io.containerd.grpc.v1.cri".cni]
                  bin_dir = "/usr/lib/cni"
                  conf_dir = "{root}/net.d"
                [plugins."io.containerd.grpc.v1.cri".registry]
                  config_path = "{root}/certs.d"
              [plugins."io.containerd.internal.v1.opt"]
                path = "{root}/root/opt"
            """);
        var start = new ProcessStartInfo("containerd", ["--config", config])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("containerd did not start");
        var log = File.CreateText(Path.Combine(root, "containerd.log"));
        log.AutoFlush = true;
        process.OutputDataReceived += (_, e) => WriteLine(log, e.Data);
        process.ErrorDataReceived += (_, e) => WriteLine(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var containerd = new ScratchContainerd(root, process, log);
        try
        {
            await containerd.WaitForSocketAsync(timeout);
        }
        catch
        {
            await containerd.DisposeAsync();
            throw;
        }

        return containerd;
    }

    /// <summary>certs.d/&lt;registry&gt;/hosts.toml sending pulls of <paramref name="registry"/> to the mirror first.</summary>
    public async Task MirrorAsync(string registry, string server, Uri mirror)
    {
        var directory = Path.Combine(CertsDir, registry);
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "hosts.toml"), $"""
            server = "{server}"

            [host."http://127.0.0.1:{mirror.Port}"]
              capabilities = ["pull", "resolve"]
            """);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM lets containerd close its database; SIGKILL only if it does not stop in time.
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A snapshot still mounted would show up here; the test run's leftovers stay under /tmp/kimg-* to inspect.
        }
    }

    private async Task WaitForSocketAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"containerd exited with {_process.ExitCode}: {await File.ReadAllTextAsync(LogFile)}");
            }

            if (File.Exists(Socket))
            {
                try
                {
                    using var socket = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(Socket));
                    return;
                }
                catch (SocketException) when (clock.Elapsed < timeout)
                {
                }
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"containerd's socket {Socket} did not answer within {timeout}");
            }

            await Task.Delay(20);
        }
    }

    private static void WriteLine(StreamWriter log, string? line)
    {
        if (line is not null)
        {
            lock (log)
            {
                log.WriteLine(line);
            }
        }
    }
}
