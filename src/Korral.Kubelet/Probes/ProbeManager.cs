using Korral.Api.Models.CoreV1;
using Korral.Client.Events;

namespace Korral.Kubelet.Probes;

/// <summary>
/// Keeps one <see cref="ProbeWorker"/> per running container attempt and declared probe, as upstream's probe manager:
/// the pod worker reports its running containers after each sync (<see cref="UpdatePod"/>), workers of attempts that
/// stopped or were replaced end, and results feed the pod status (<see cref="ReadyContainers"/>,
/// <see cref="StartedContainers"/>) and the restart of containers whose liveness or startup probe failed
/// (<see cref="FailedProbe"/>). A readiness, startup or liveness result change asks for a pod sync; a startup probe that
/// passes runs the readiness probe at once. Failed, warned and errored runs become upstream's events (Unhealthy,
/// ProbeWarning). Containers without probes cost nothing.
/// </summary>
public sealed class ProbeManager(IProber prober, IEventRecorder events, TimeProvider time, Action<string> requestSync, Action<string> log) : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Dictionary<(string Container, ProbeType Type), Running>> _pods = new(StringComparer.Ordinal);

    /// <summary>Starts and stops workers so that exactly the running attempts in <paramref name="running"/> are probed.</summary>
    public void UpdatePod(Pod pod, IReadOnlyList<ProbeTarget> running)
    {
        var uid = pod.Metadata!.Uid!;
        var stopped = new List<Running>();
        lock (_lock)
        {
            if (!_pods.TryGetValue(uid, out var workers))
            {
                workers = [];
            }

            var wanted = new HashSet<(string, ProbeType)>();
            foreach (var target in running)
            {
                foreach (var (type, probe) in ProbesOf(target.Container))
                {
                    var key = (target.Container.Name!, type);
                    wanted.Add(key);
                    if (workers.TryGetValue(key, out var existing))
                    {
                        if (existing.Worker.Target.ContainerId == target.ContainerId)
                        {
                            continue;
                        }

                        stopped.Add(existing);
                    }

                    workers[key] = Start(uid, type, probe, target);
                }
            }

            foreach (var key in workers.Keys.Where(k => !wanted.Contains(k)).ToList())
            {
                stopped.Add(workers[key]);
                workers.Remove(key);
            }

            if (workers.Count == 0)
            {
                _pods.Remove(uid);
            }
            else
            {
                _pods[uid] = workers;
            }
        }

        foreach (var worker in stopped)
        {
            worker.Stop.Cancel();
            worker.Loop.ContinueWith(_ => worker.Stop.Dispose(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }

    /// <summary>Stops every worker of the pod (it terminates or is gone).</summary>
    public void RemovePod(string uid) => UpdatePod(new Pod { Metadata = new() { Uid = uid } }, []);

    /// <summary>Names of the pod's containers whose current attempt passed its readiness probe.</summary>
    public IReadOnlySet<string> ReadyContainers(string uid) => Names(uid, ProbeType.Readiness);

    /// <summary>Names of the pod's containers whose current attempt passed its startup probe.</summary>
    public IReadOnlySet<string> StartedContainers(string uid) => Names(uid, ProbeType.Startup);

    /// <summary>The probe (liveness or startup) whose failure means the container attempt must be killed, or null.</summary>
    public ProbeType? FailedProbe(string uid, string containerName, string containerId)
    {
        lock (_lock)
        {
            if (!_pods.TryGetValue(uid, out var workers))
            {
                return null;
            }

            foreach (var type in (ReadOnlySpan<ProbeType>)[ProbeType.Startup, ProbeType.Liveness])
            {
                if (workers.TryGetValue((containerName, type), out var running) && running.Worker.Target.ContainerId == containerId
                    && running.Worker.Result == false)
                {
                    return type;
                }
            }

            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<Running> all;
        lock (_lock)
        {
            all = _pods.Values.SelectMany(w => w.Values).ToList();
            _pods.Clear();
        }

        foreach (var running in all)
        {
            running.Stop.Cancel();
        }

        await Task.WhenAll(all.Select(r => r.Loop));
        foreach (var running in all)
        {
            running.Stop.Dispose();
        }
    }

    private static IEnumerable<(ProbeType, Probe)> ProbesOf(Container container)
    {
        if (container.StartupProbe is { } startup)
        {
            yield return (ProbeType.Startup, startup);
        }

        if (container.ReadinessProbe is { } readiness)
        {
            yield return (ProbeType.Readiness, readiness);
        }

        if (container.LivenessProbe is { } liveness)
        {
            yield return (ProbeType.Liveness, liveness);
        }
    }

    private Running Start(string uid, ProbeType type, Probe probe, ProbeTarget target)
    {
        var worker = new ProbeWorker(type, probe, target, prober, time, () => IsStarted(uid, target), Report);
        var stop = new CancellationTokenSource();
        var loop = Task.Run(() => worker.RunAsync(changed => Changed(uid, changed), log, stop.Token));
        return new Running(worker, stop, loop);
    }

    /// <summary>Whether the attempt's startup probe passed (or it has none): liveness and readiness wait for it.</summary>
    private bool IsStarted(string uid, ProbeTarget target)
    {
        if (target.Container.StartupProbe is null)
        {
            return true;
        }

        lock (_lock)
        {
            return _pods.TryGetValue(uid, out var workers) && workers.TryGetValue((target.Container.Name!, ProbeType.Startup), out var startup)
                && startup.Worker.Target.ContainerId == target.ContainerId && startup.Worker.Result == true;
        }
    }

    private IReadOnlySet<string> Names(string uid, ProbeType type)
    {
        lock (_lock)
        {
            return _pods.TryGetValue(uid, out var workers)
                ? workers.Where(w => w.Key.Type == type && w.Value.Worker.Result == true).Select(w => w.Key.Container).ToHashSet(StringComparer.Ordinal)
                : new HashSet<string>(StringComparer.Ordinal);
        }
    }

    private void Changed(string uid, ProbeWorker worker)
    {
        if (worker.Type == ProbeType.Startup && worker.Result == true)
        {
            // As upstream: a container that just started is probed for readiness now, not a period later.
            lock (_lock)
            {
                if (_pods.TryGetValue(uid, out var workers) && workers.TryGetValue((worker.Target.Container.Name!, ProbeType.Readiness), out var readiness)
                    && readiness.Worker.Target.ContainerId == worker.Target.ContainerId)
                {
                    readiness.Worker.Trigger();
                }
            }
        }

        requestSync(uid);
    }

    /// <summary>Upstream's event for a run that failed (Unhealthy), warned (ProbeWarning) or errored (Unhealthy).</summary>
    private void Report(ProbeWorker worker, ProbeOutcome outcome)
    {
        var pod = worker.Target.Pod;
        var reference = new ObjectReference
        {
            Kind = "Pod",
            ApiVersion = "v1",
            Namespace = pod.Metadata?.Namespace,
            Name = pod.Metadata?.Name,
            Uid = pod.Metadata?.Uid,
            FieldPath = $"spec.containers{{{worker.Target.Container.Name}}}",
        };
        var (reason, message) = outcome switch
        {
            { IsError: true } => ("Unhealthy", $"{worker.Type} probe errored and resulted in {outcome.ResultName} state: {outcome.Error}"),
            { Result: ProbeResult.Warning } => ("ProbeWarning", $"{worker.Type} probe warning: {outcome.Output}"),
            _ => ("Unhealthy", $"{worker.Type} probe failed: {outcome.Output}"),
        };
        events.Event(reference, EventTypes.Warning, reason, message);
    }

    private sealed record Running(ProbeWorker Worker, CancellationTokenSource Stop, Task Loop);
}
