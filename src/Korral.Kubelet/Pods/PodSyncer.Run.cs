using Korral.Api.Models.CoreV1;
using Korral.Client.Events;
using Korral.Kubelet.Cri;
using Korral.Kubelet.Translation;
using Korral.Kubelet.Probes;
using Korral.Kubelet.Cri.V1;
using ApiContainer = Korral.Api.Models.CoreV1.Container;
using CriContainer = Korral.Kubelet.Cri.V1.Container;
using ContainerState = Korral.Kubelet.Cri.V1.ContainerState;

namespace Korral.Kubelet.Pods;

public sealed partial class PodSyncer
{
    /// <summary>A pod that should run: volumes, sandbox, init containers in order, containers; then its status.</summary>
    private async Task RunAsync(Pod pod, RuntimePod runtime, PodWork work, CancellationToken cancellationToken)
    {
        var requeue = await RunContainersAsync(pod, runtime, work, cancellationToken);
        await WriteStatusAsync(pod, work, terminating: false, cancellationToken);
        if (requeue is { } delay)
        {
            _queue.AddAfter(pod.Metadata!.Uid!, delay);
        }
    }

    /// <summary>One pass of starting what should run; returns when to look again when something waits on time.</summary>
    private async Task<TimeSpan?> RunContainersAsync(Pod pod, RuntimePod runtime, PodWork work, CancellationToken cancellationToken)
    {
        var now = _options.Time.GetUtcNow();
        if (work.VolumesReadyAt is null || now - work.VolumesReadyAt >= _options.ResyncInterval)
        {
            var failure = await _parts.SetUpVolumesAsync(pod, cancellationToken);
            if (failure is not null)
            {
                _events.Event(Reference(pod), EventTypes.Warning, "FailedMount", failure);
                SetWaitingForAll(pod, work, "ContainerCreating", null);
                return TimeSpan.FromSeconds(5);
            }

            work.VolumesReadyAt = now;
        }

        var sandbox = runtime.Sandbox;
        if (sandbox is null || sandbox.State != PodSandboxState.SandboxReady)
        {
            if (sandbox is not null && await AllDoneAsync(pod, runtime, cancellationToken))
            {
                // Nothing left to run (restartPolicy Never/OnFailure after success): the pod is finished, not restarted.
                return null;
            }

            if (runtime.IsRunning || sandbox is not null)
            {
                await KillPodAsync(pod, runtime, GracePeriod(pod), "", cancellationToken);
            }

            if (sandbox is null && pod.Status?.ContainerStatuses is null or { Count: 0 })
            {
                // As upstream, the pod shows Pending with its containers ContainerCreating while its sandbox starts.
                await WriteStatusAsync(pod, work, terminating: false, cancellationToken);
            }

            var attempt = sandbox is null ? 0u : sandbox.Metadata.Attempt + 1;
            var config = _parts.SandboxConfig(pod, attempt);
            try
            {
                var created = await _runtime.RunPodSandboxAsync(new RunPodSandboxRequest { Config = config }, cancellationToken);
                work.SandboxConfig = config;
                work.SandboxId = created.PodSandboxId;
            }
            catch (CriException e)
            {
                _events.Event(Reference(pod), EventTypes.Warning, "FailedCreatePodSandBox", $"Failed to create pod sandbox: {e.Message}");
                SetWaitingForAll(pod, work, "ContainerCreating", null);
                return _crashBackoff.Next($"{pod.Metadata!.Uid}/sandbox");
            }

            runtime = (await RuntimeRelister.ListAsync(_runtime, pod.Metadata!.Uid!, cancellationToken)).GetValueOrDefault(pod.Metadata.Uid!) ?? runtime;
            sandbox = runtime.Sandbox!;
            var ip = await SandboxIpAsync(sandbox.Id, cancellationToken);
            await _parts.WriteHostsFileAsync(pod, ip, cancellationToken);
        }
        else if (work.SandboxId != sandbox.Id || work.SandboxConfig is null)
        {
            // Adopted after a kubelet restart: rebuild the config the sandbox was created with.
            work.SandboxConfig = _parts.SandboxConfig(pod, sandbox.Metadata.Attempt);
            work.SandboxId = sandbox.Id;
        }

        var podIp = await SandboxIpAsync(sandbox.Id, cancellationToken);
        var inSandbox = runtime.Containers.Where(c => c.PodSandboxId == sandbox.Id).ToList();

        // Init containers, one at a time, each to success before the next.
        foreach (var init in pod.Spec?.InitContainers ?? [])
        {
            var newest = Newest(inSandbox, init.Name!);
            if (newest is null)
            {
                return await StartContainerAsync(pod, init, init: true, runtime, sandbox.Id, podIp, work, cancellationToken);
            }

            if (newest.State is ContainerState.ContainerRunning or ContainerState.ContainerCreated)
            {
                return null;
            }

            var status = await StatusOfAsync(newest.Id, cancellationToken);
            if (status is { ExitCode: 0 })
            {
                continue;
            }

            if (pod.Spec?.RestartPolicy == "Never")
            {
                return null;
            }

            return await RestartAsync(pod, init, init: true, status, runtime, sandbox.Id, podIp, work, cancellationToken);
        }

        TimeSpan? next = null;
        foreach (var container in pod.Spec?.Containers ?? [])
        {
            var newest = Newest(inSandbox, container.Name!);
            TimeSpan? wait;
            if (newest is null)
            {
                wait = await StartContainerAsync(pod, container, init: false, runtime, sandbox.Id, podIp, work, cancellationToken);
            }
            else if (newest.State is ContainerState.ContainerRunning)
            {
                if (_probes?.FailedProbe(pod.Metadata!.Uid!, container.Name!, newest.Id) is { } failed)
                {
                    // As upstream: the attempt is killed (the probe's own terminationGracePeriodSeconds wins over the
                    // pod's) and the usual restart path (policy, back-off) takes over.
                    _events.Event(ContainerReference(pod, container, init: false), EventTypes.Normal, "Killing", ProbeKill.Message(pod, container, failed));
                    await StopContainerAsync(pod, container, newest.Id, podIp, ProbeKill.GracePeriod(pod, container, failed), runHook: true, cancellationToken);
                    wait = TimeSpan.FromMilliseconds(100);
                }
                else if (newest.Annotations.TryGetValue(KubeletLabels.ContainerHash, out var hash) && !ContainerHash.Matches(container, hash))
                {
                    _events.Event(ContainerReference(pod, container, init: false), EventTypes.Normal, "Killing",
                        $"Container {container.Name} definition changed, will be restarted");
                    await StopContainerAsync(pod, container, newest.Id, podIp, GracePeriod(pod), runHook: true, cancellationToken);
                    wait = await StartContainerAsync(pod, container, init: false, runtime, sandbox.Id, podIp, work, cancellationToken);
                }
                else
                {
                    work.Waiting.Remove(container.Name!);
                    wait = null;
                }
            }
            else if (newest.State is ContainerState.ContainerCreated)
            {
                wait = TimeSpan.FromSeconds(1);
            }
            else
            {
                var status = await StatusOfAsync(newest.Id, cancellationToken);
                var restart = pod.Spec?.RestartPolicy switch
                {
                    "Never" => false,
                    "OnFailure" => status is not { ExitCode: 0 },
                    _ => true,
                };
                wait = restart ? await RestartAsync(pod, container, init: false, status, runtime, sandbox.Id, podIp, work, cancellationToken) : null;
            }

            next = Min(next, wait);
        }

        await RemoveOldAttemptsAsync(runtime, cancellationToken);
        return next;
    }

    /// <summary>Restarts an exited container unless it is backing off (then it waits with CrashLoopBackOff).</summary>
    private async Task<TimeSpan?> RestartAsync(Pod pod, ApiContainer container, bool init, Korral.Kubelet.Cri.V1.ContainerStatus? last, RuntimePod runtime,
        string sandboxId, string? podIp, PodWork work, CancellationToken cancellationToken)
    {
        var key = $"{pod.Metadata!.Uid}/{container.Name}";
        var finished = last is null ? _options.Time.GetUtcNow() : FromNanos(last.FinishedAt);
        var started = last is null ? finished : FromNanos(last.StartedAt);
        if (finished - started >= _options.BackoffReset)
        {
            _crashBackoff.Reset(key);
        }

        if (_crashBackoff.IsInBackoffSince(key, finished, out var remaining))
        {
            var delay = _crashBackoff.Get(key);
            work.Waiting[container.Name!] = new ContainerWaiting("CrashLoopBackOff",
                $"back-off {Go(delay)} restarting failed container={container.Name} pod={PodDescription(pod)}");
            _events.Event(ContainerReference(pod, container, init), EventTypes.Warning, "BackOff",
                $"Back-off restarting failed container {container.Name} in pod {PodDescription(pod)}");
            return remaining;
        }

        _crashBackoff.Next(key);
        return await StartContainerAsync(pod, container, init, runtime, sandboxId, podIp, work, cancellationToken);
    }

    /// <summary>Pulls, creates and starts one container (attempt = one more than any earlier attempt of that name).</summary>
    private async Task<TimeSpan?> StartContainerAsync(Pod pod, ApiContainer container, bool init, RuntimePod runtime, string sandboxId, string? podIp,
        PodWork work, CancellationToken cancellationToken)
    {
        var reference = ContainerReference(pod, container, init);
        var pulled = await _images.EnsureAsync(pod, container, reference, cancellationToken);
        if (!pulled.Succeeded)
        {
            work.Waiting[container.Name!] = new ContainerWaiting(pulled.Reason!, pulled.Message);
            if (pulled.Reason == "ImagePullBackOff" || pulled.Reason == "ErrImagePull")
            {
                _events.Event(reference, EventTypes.Warning, "Failed", $"Error: {pulled.Reason}");
            }

            return TimeSpan.FromSeconds(pulled.Reason == "ErrImagePull" ? 1 : 5);
        }

        var previous = runtime.Containers.Where(c => c.Metadata.Name == container.Name).Select(c => (long)c.Metadata.Attempt).DefaultIfEmpty(-1).Max();
        var attempt = (uint)(previous + 1);
        var (config, error) = await _parts.ContainerConfigAsync(pod, container, attempt, pulled.ImageRef!, podIp, cancellationToken);
        if (config is null)
        {
            work.Waiting[container.Name!] = new ContainerWaiting("CreateContainerConfigError", error);
            _events.Event(reference, EventTypes.Warning, "Failed", $"Error: {error}");
            return TimeSpan.FromSeconds(10);
        }

        string id;
        try
        {
            id = (await _runtime.CreateContainerAsync(new CreateContainerRequest { PodSandboxId = sandboxId, Config = config, SandboxConfig = work.SandboxConfig },
                cancellationToken)).ContainerId;
        }
        catch (CriException e)
        {
            work.Waiting[container.Name!] = new ContainerWaiting("CreateContainerError", e.StatusMessage);
            _events.Event(reference, EventTypes.Warning, "Failed", $"Error: {e.StatusMessage}");
            return _crashBackoff.Next($"{pod.Metadata!.Uid}/{container.Name}");
        }

        _events.Event(reference, EventTypes.Normal, "Created", $"Created container: {container.Name}");
        try
        {
            await _runtime.StartContainerAsync(new StartContainerRequest { ContainerId = id }, cancellationToken);
        }
        catch (CriException e)
        {
            work.Waiting.Remove(container.Name!);
            _events.Event(reference, EventTypes.Warning, "Failed", $"Error: {e.StatusMessage}");
            return _crashBackoff.Next($"{pod.Metadata!.Uid}/{container.Name}");
        }

        work.Waiting.Remove(container.Name!);
        _events.Event(reference, EventTypes.Normal, "Started", $"Started container {container.Name}");
        if (container.Lifecycle?.PostStart is { } postStart)
        {
            var failure = await _hooks.RunAsync(postStart, container, id, podIp, GracePeriod(pod), cancellationToken);
            if (failure is not null)
            {
                _events.Event(reference, EventTypes.Warning, "FailedPostStartHook", failure);
                _events.Event(reference, EventTypes.Normal, "Killing", $"FailedPostStartHook");
                await StopContainerAsync(pod, container, id, podIp, GracePeriod(pod), runHook: false, cancellationToken);
            }
        }

        return init ? TimeSpan.FromSeconds(1) : null;
    }

    /// <summary>Removes exited containers beyond the newest two attempts of each name (the previous one serves --previous).</summary>
    private async Task RemoveOldAttemptsAsync(RuntimePod runtime, CancellationToken cancellationToken)
    {
        foreach (var group in runtime.Containers.GroupBy(c => c.Metadata.Name))
        {
            foreach (var old in group.OrderByDescending(c => c.Metadata.Attempt).Skip(2).Where(c => c.State == ContainerState.ContainerExited))
            {
                try
                {
                    await _runtime.RemoveContainerAsync(new RemoveContainerRequest { ContainerId = old.Id }, cancellationToken);
                }
                catch (CriException e) when (e.IsNotFound)
                {
                }
            }
        }
    }

    /// <summary>Whether every container has finished for good under the pod's restart policy (Never: exited; OnFailure: exited 0).</summary>
    private async Task<bool> AllDoneAsync(Pod pod, RuntimePod runtime, CancellationToken cancellationToken)
    {
        var policy = pod.Spec?.RestartPolicy ?? "Always";
        if (policy == "Always")
        {
            return false;
        }

        foreach (var container in pod.Spec?.Containers ?? [])
        {
            if (Newest(runtime.Containers, container.Name!) is not { State: ContainerState.ContainerExited } exited)
            {
                return false;
            }

            if (policy == "OnFailure" && await StatusOfAsync(exited.Id, cancellationToken) is not { ExitCode: 0 })
            {
                return false;
            }
        }

        return true;
    }

    private void SetWaitingForAll(Pod pod, PodWork work, string reason, string? message)
    {
        foreach (var c in (pod.Spec?.InitContainers ?? []).Concat(pod.Spec?.Containers ?? []))
        {
            work.Waiting.TryAdd(c.Name!, new ContainerWaiting(reason, message));
        }
    }

    private async Task<string?> SandboxIpAsync(string sandboxId, CancellationToken cancellationToken)
    {
        try
        {
            var status = await _runtime.PodSandboxStatusAsync(new PodSandboxStatusRequest { PodSandboxId = sandboxId }, cancellationToken);
            var ip = status.Status?.Network?.Ip;
            return string.IsNullOrEmpty(ip) ? null : ip;
        }
        catch (CriException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    private async Task<Korral.Kubelet.Cri.V1.ContainerStatus?> StatusOfAsync(string containerId, CancellationToken cancellationToken)
    {
        try
        {
            return (await _runtime.ContainerStatusAsync(new ContainerStatusRequest { ContainerId = containerId }, cancellationToken)).Status;
        }
        catch (CriException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    private static CriContainer? Newest(IEnumerable<CriContainer> containers, string name) =>
        containers.Where(c => c.Metadata.Name == name).OrderByDescending(c => c.Metadata.Attempt).ThenByDescending(c => c.CreatedAt).FirstOrDefault();

    private static TimeSpan? Min(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : a < b ? a : b;

    private static DateTimeOffset FromNanos(long nanos) => DateTimeOffset.UnixEpoch.AddTicks(nanos / 100);

    private static string Go(TimeSpan delay) => Korral.Api.Protobuf.ProtobufDecoder.FormatGoDuration(delay.Ticks * 100);
}
