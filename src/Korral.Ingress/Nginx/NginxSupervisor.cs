using System.Text;

namespace Korral.Ingress.Nginx;

/// <summary>
/// Keeps one nginx running the latest good configuration, as ingress-nginx drives its nginx: a new configuration is
/// written beside the current one, checked with <c>nginx -t</c>, and only then moved over nginx.conf and signalled (SIGHUP:
/// a graceful reload, in-flight requests finish on the old workers). The same configuration twice reloads nothing. The
/// first start replaces an nginx an earlier run left behind (<see cref="NginxOrphans"/>). A master that dies is reported
/// through <see cref="Exited"/> and started again by the next <see cref="ApplyAsync"/>.
/// </summary>
public sealed class NginxSupervisor : IAsyncDisposable
{
    private readonly string _nginx;
    private readonly string? _setsid;
    private readonly NginxLayout _layout;
    private readonly Action<string> _log;
    private readonly TimeSpan _stopTimeout;
    private readonly TimeSpan _startTimeout;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private NginxProcess? _process;
    private string? _applied;
    private bool _orphansChecked;
    private volatile bool _stopping;

    /// <param name="nginx">The nginx binary (full path).</param>
    /// <param name="layout">Where its files go.</param>
    /// <param name="log">Receives the controller's lines and nginx's error log.</param>
    /// <param name="stopTimeout">How long a stopping nginx gets before SIGKILL.</param>
    /// <param name="startTimeout">How long a starting nginx gets to bind its ports.</param>
    public NginxSupervisor(string nginx, NginxLayout layout, Action<string> log, TimeSpan stopTimeout, TimeSpan startTimeout)
    {
        _nginx = nginx;
        _setsid = NginxBinary.Find("setsid");
        _layout = layout;
        _log = log;
        _stopTimeout = stopTimeout;
        _startTimeout = startTimeout;
    }

    /// <summary>Raised (on a thread-pool thread) when the running nginx exits without being asked to.</summary>
    public event Action? Exited;

    /// <summary>The configuration nginx runs (null before the first start).</summary>
    public string? AppliedConfiguration => _applied;

    /// <summary>The running master's pid, or null.</summary>
    public int? MasterPid => _process is { HasExited: false } p ? p.Pid : null;

    public int Starts { get; private set; }

    public int Reloads { get; private set; }

    public int Rejections { get; private set; }

    /// <summary>
    /// Makes nginx run <paramref name="configuration"/>: nothing when it already does; otherwise test, replace, then start
    /// or reload. Throws when nginx cannot be started (the caller retries later).
    /// </summary>
    public async Task<NginxApplyResult> ApplyAsync(string configuration, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var running = _process is { HasExited: false };
            if (running && configuration == _applied)
            {
                return new NginxApplyResult(NginxApplyOutcome.Unchanged);
            }

            if (configuration != _applied || !OnDisk(configuration))
            {
                Directory.CreateDirectory(_layout.TempDir);
                await File.WriteAllTextAsync(_layout.CandidateFile, configuration, cancellationToken);
                var test = await NginxBinary.TestAsync(_nginx, _layout, _layout.CandidateFile, cancellationToken);
                if (!test.Ok)
                {
                    File.Delete(_layout.CandidateFile);
                    Rejections++;
                    return new NginxApplyResult(NginxApplyOutcome.Rejected, test.Output);
                }

                File.Move(_layout.CandidateFile, _layout.ConfigFile, overwrite: true);
            }

            if (running)
            {
                _process!.Reload();
                _applied = configuration;
                Reloads++;
                return new NginxApplyResult(NginxApplyOutcome.Reloaded);
            }

            await StartAsync(cancellationToken);
            _applied = configuration;
            Starts++;
            return new NginxApplyResult(NginxApplyOutcome.Started);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops nginx (SIGTERM, then SIGKILL to its whole group after the stop timeout).</summary>
    public async Task StopAsync()
    {
        _stopping = true;
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            if (_process is { } process)
            {
                await process.StopAsync(_stopTimeout);
                process.Dispose();
                _process = null;
                _log("ingress: nginx stopped");
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _gate.Dispose();
    }

    private bool OnDisk(string configuration)
    {
        try
        {
            return File.ReadAllText(_layout.ConfigFile, Encoding.UTF8) == configuration;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_process is { } dead)
        {
            _log($"ingress: nginx (pid {dead.Pid}) exited; starting it again");
            // Workers outlive a master killed outright and keep the ports: they go with their group.
            dead.KillGroup();
            dead.Dispose();
            _process = null;
        }

        if (!_orphansChecked)
        {
            await NginxOrphans.StopAsync(_layout, _log, _stopTimeout, cancellationToken);
            _orphansChecked = true;
        }

        var process = await NginxProcess.StartAsync(_nginx, _setsid, _layout, _log, _startTimeout, cancellationToken);
        _process = process;
        _ = process.Exited.ContinueWith(_ =>
        {
            if (!_stopping)
            {
                Exited?.Invoke();
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        _log($"ingress: nginx started (master pid {process.Pid}) with {_layout.ConfigFile}");
    }
}
