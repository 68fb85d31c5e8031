using System.Threading.Channels;
using Korral.Api.Models.CoreV1;

namespace Korral.Kubelet.Probes;

/// <summary>
/// Probes one container attempt with one of its probes, as upstream's prober worker does: nothing before
/// initialDelaySeconds (counted from the container's start), nothing for liveness and readiness until the startup probe
/// succeeded, then a run every periodSeconds whose result flips only after successThreshold equal successes or
/// failureThreshold equal failures. A run whose probe errored is retried at once (3 tries in all) and, when it keeps
/// erroring, thrown away rather than counted. A liveness or startup failure puts the worker on hold (the container is
/// about to be killed; its next attempt gets a new worker); a startup probe stops once it succeeded.
/// </summary>
public sealed class ProbeWorker
{
    /// <summary>Upstream's tries of a probe that errors, within one period.</summary>
    public const int MaxTries = 3;

    private readonly IProber _prober;
    private readonly TimeProvider _time;
    private readonly Func<bool> _started;
    private readonly Action<ProbeWorker, ProbeOutcome> _reported;
    private readonly Channel<bool> _trigger = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private bool? _last;
    private int _run;
    private bool _onHold;

    // The result is read by the pod worker while this worker's loop writes it: one int, read and written atomically
    // (-1 unknown, 0 failure, 1 success).
    private int _result;

    /// <param name="started">Whether the container's startup probe succeeded (true when it has none); gates liveness and readiness.</param>
    /// <param name="reported">Called with every run that failed, warned or errored (the Unhealthy and ProbeWarning events).</param>
    public ProbeWorker(ProbeType type, Probe probe, ProbeTarget target, IProber prober, TimeProvider time, Func<bool> started, Action<ProbeWorker, ProbeOutcome> reported)
    {
        Type = type;
        Probe = probe;
        Target = target;
        Settings = ProbeSettings.Of(probe);
        _prober = prober;
        _time = time;
        _started = started;
        _reported = reported;
        // Upstream's initial results: a container is not ready until proven so, alive until proven otherwise, and not
        // started (unknown) until its startup probe passes.
        Result = type switch
        {
            ProbeType.Readiness => false,
            ProbeType.Liveness => true,
            _ => null,
        };
    }

    public ProbeType Type { get; }

    public Probe Probe { get; }

    public ProbeTarget Target { get; }

    public ProbeSettings Settings { get; }

    /// <summary>The current result: true success, false failure, null unknown (a startup probe that has not passed yet).</summary>
    public bool? Result
    {
        get => Volatile.Read(ref _result) switch
        {
            -1 => null,
            0 => false,
            _ => true,
        };
        private set => Volatile.Write(ref _result, value switch
        {
            null => -1,
            false => 0,
            true => 1,
        });
    }

    /// <summary>Runs one period's probe (or skips it); returns whether <see cref="Result"/> changed.</summary>
    public async Task<bool> StepAsync(CancellationToken cancellationToken)
    {
        if (_onHold || (Type == ProbeType.Startup && Result == true))
        {
            return false;
        }

        if (_time.GetUtcNow() - Target.StartedAt < Settings.InitialDelay)
        {
            return false;
        }

        if (Type != ProbeType.Startup && !_started())
        {
            return false;
        }

        var outcome = await _prober.RunAsync(Probe, Target.Container, Target.ContainerId, Target.PodIp, cancellationToken);
        for (var tries = 1; outcome.IsError && tries < MaxTries; tries++)
        {
            outcome = await _prober.RunAsync(Probe, Target.Container, Target.ContainerId, Target.PodIp, cancellationToken);
        }

        if (outcome.IsError || outcome.Result is ProbeResult.Failure or ProbeResult.Warning)
        {
            _reported(this, outcome);
        }

        // An errored run tells nothing about the container: upstream throws it away.
        return !outcome.IsError && Record(outcome.Success);
    }

    /// <summary>Runs the next probe now instead of at the end of the period (readiness once the startup probe passed).</summary>
    public void Trigger() => _trigger.Writer.TryWrite(true);

    /// <summary>Probes every period until cancelled; <paramref name="changed"/> hears of every result change.</summary>
    public async Task RunAsync(Action<ProbeWorker> changed, Action<string> log, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    if (await StepAsync(cancellationToken))
                    {
                        changed(this);
                    }
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    log($"kubelet: {Type} probe of container {Target.Container.Name} errored: {e.GetType().Name}: {e.Message}");
                }

                await NextPeriodAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Waits one period, or less when <see cref="Trigger"/> asks for a run.</summary>
    private async Task NextPeriodAsync(CancellationToken cancellationToken)
    {
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var period = Task.Delay(Settings.Period, _time, wake.Token);
        var trigger = _trigger.Reader.ReadAsync(wake.Token).AsTask();
        await Task.WhenAny(period, trigger);
        await wake.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
        // Observe the loser's cancellation so that it is not reported as unobserved.
        await Task.WhenAll(period, trigger).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    private bool Record(bool success)
    {
        if (_last == success)
        {
            _run++;
        }
        else
        {
            _last = success;
            _run = 1;
        }

        if (_run < (success ? Settings.SuccessThreshold : Settings.FailureThreshold))
        {
            return false;
        }

        var changed = Result != success;
        Result = success;
        if (!success && Type != ProbeType.Readiness)
        {
            // The container will be killed and restarted as a new attempt with fresh workers: no more runs for this one.
            _onHold = true;
            _run = 0;
        }

        return changed;
    }
}
