using System.Diagnostics;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Client;
using Korral.Client.Events;
using Korral.Kubelet.Cri;
using Korral.Kubelet.Cri.V1;
using ApiContainer = Korral.Api.Models.CoreV1.Container;
using ContainerState = Korral.Kubelet.Cri.V1.ContainerState;

namespace Korral.Kubelet.Pods;

public sealed partial class PodSyncer
{
    /// <summary>Upstream never gives a container less than this to stop after its preStop hook ran.</summary>
    private static readonly TimeSpan MinimumGracePeriod = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A pod being deleted: its containers get their preStop hooks and SIGTERM with the grace period, then its final
    /// status is written and the deletion confirmed (DELETE with grace period 0, only for this pod's UID).
    /// </summary>
    private async Task TerminateAsync(Pod pod, RuntimePod runtime, PodWork work, CancellationToken cancellationToken)
    {
        if (work.DeletionConfirmed)
        {
            return;
        }

        if (runtime.IsRunning)
        {
            lock (_lock)
            {
                work.StoppingGrace = GracePeriod(pod);
            }

            await KillPodAsync(pod, runtime, GracePeriod(pod), "", cancellationToken);
        }

        await WriteStatusAsync(pod, work, terminating: true, cancellationToken);
        try
        {
            await _client.Resource<Pod>().DeleteAsync(pod.Metadata!.Namespace, pod.Metadata.Name!,
                new DeleteOptions { GracePeriodSeconds = 0, Preconditions = new Preconditions { Uid = pod.Metadata.Uid } }, cancellationToken);
        }
        catch (KubeApiException e) when (e.IsNotFound || e.IsConflict)
        {
            // Already gone, or the name now belongs to a newer pod.
        }

        work.DeletionConfirmed = true;
    }

    /// <summary>
    /// A pod already being stopped was deleted again with a shorter grace period (kubectl delete --grace-period=1, --force):
    /// its running containers get a stop with the shorter timeout at once, beside the one in flight (which then returns as
    /// soon as the container is gone), as upstream's kubelet shortens a termination in progress.
    /// </summary>
    /// <param name="gone">The API object was removed (a forced deletion): what still runs gets the minimum grace period.</param>
    public void OnPodUpdated(Pod pod, bool gone = false)
    {
        var uid = pod.Metadata?.Uid;
        if (uid is null || (pod.Metadata?.DeletionTimestamp is null && !gone))
        {
            return;
        }

        var grace = gone ? MinimumGracePeriod : GracePeriod(pod);
        lock (_lock)
        {
            if (!_work.TryGetValue(uid, out var work) || work.StoppingGrace is not { } current || grace >= current)
            {
                return;
            }

            work.StoppingGrace = grace;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                var runtime = (await RuntimeRelister.ListAsync(_runtime, uid, CancellationToken.None)).GetValueOrDefault(uid);
                await Task.WhenAll((runtime?.Containers ?? []).Where(c => c.State == ContainerState.ContainerRunning).Select(c =>
                    _runtime.StopContainerAsync(new StopContainerRequest { ContainerId = c.Id, Timeout = (long)Math.Ceiling(grace.TotalSeconds) }, CancellationToken.None)));
            }
            catch (CriException e)
            {
                _options.Log($"kubelet: pod {PodDescription(pod)}: shortening its termination failed: {e.Message}");
            }
        });
    }

    /// <summary>Stops every running container of the pod (preStop hooks, then the stop signal, SIGKILL after the grace period) and its sandboxes.</summary>
    private async Task KillPodAsync(Pod? pod, RuntimePod runtime, TimeSpan grace, string reason, CancellationToken cancellationToken)
    {
        var podIp = runtime.Sandbox is { State: PodSandboxState.SandboxReady } ready ? await SandboxIpAsync(ready.Id, cancellationToken) : null;
        var running = runtime.Containers.Where(c => c.State is ContainerState.ContainerRunning or ContainerState.ContainerCreated).ToList();
        await Task.WhenAll(running.Select(async c =>
        {
            var spec = pod?.Spec?.Containers?.FirstOrDefault(s => s.Name == c.Metadata.Name)
                ?? pod?.Spec?.InitContainers?.FirstOrDefault(s => s.Name == c.Metadata.Name);
            if (pod is not null && spec is not null)
            {
                var init = pod.Spec?.InitContainers?.Contains(spec) == true;
                _events.Event(ContainerReference(pod, spec, init), EventTypes.Normal, "Killing",
                    string.IsNullOrEmpty(reason) ? $"Stopping container {spec.Name}" : reason);
            }

            await StopContainerAsync(pod, spec, c.Id, podIp, grace, runHook: true, cancellationToken);
        }));
        foreach (var sandbox in runtime.Sandboxes.Where(s => s.State == PodSandboxState.SandboxReady))
        {
            try
            {
                await _runtime.StopPodSandboxAsync(new StopPodSandboxRequest { PodSandboxId = sandbox.Id }, cancellationToken);
            }
            catch (CriException e) when (e.IsNotFound)
            {
            }
        }
    }

    /// <summary>Runs the preStop hook (when asked and defined) within the grace period, then stops the container with what is left.</summary>
    private async Task StopContainerAsync(Pod? pod, ApiContainer? container, string containerId, string? podIp, TimeSpan grace, bool runHook,
        CancellationToken cancellationToken)
    {
        var left = grace;
        if (runHook && pod is not null && container?.Lifecycle?.PreStop is { } preStop)
        {
            var clock = Stopwatch.StartNew();
            var failure = await _hooks.RunAsync(preStop, container, containerId, podIp, grace, cancellationToken);
            if (failure is not null)
            {
                var init = pod.Spec?.InitContainers?.Contains(container) == true;
                _events.Event(ContainerReference(pod, container, init), EventTypes.Warning, "FailedPreStopHook", failure);
            }

            left = grace - clock.Elapsed;
            if (left < MinimumGracePeriod)
            {
                left = MinimumGracePeriod;
            }
        }

        try
        {
            await _runtime.StopContainerAsync(new StopContainerRequest { ContainerId = containerId, Timeout = (long)Math.Ceiling(left.TotalSeconds) }, cancellationToken);
        }
        catch (CriException e) when (e.IsNotFound)
        {
        }
    }

    /// <summary>Removes every runtime object and file of a pod whose API object is gone.</summary>
    private async Task CleanUpAsync(string uid, Pod? pod, CancellationToken cancellationToken)
    {
        var runtime = (await RuntimeRelister.ListAsync(_runtime, uid, cancellationToken)).GetValueOrDefault(uid);
        foreach (var container in runtime?.Containers ?? [])
        {
            try
            {
                await _runtime.RemoveContainerAsync(new RemoveContainerRequest { ContainerId = container.Id }, cancellationToken);
            }
            catch (CriException e) when (e.IsNotFound)
            {
            }
        }

        foreach (var sandbox in runtime?.Sandboxes ?? [])
        {
            try
            {
                if (sandbox.State == PodSandboxState.SandboxReady)
                {
                    await _runtime.StopPodSandboxAsync(new StopPodSandboxRequest { PodSandboxId = sandbox.Id }, cancellationToken);
                }

                await _runtime.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = sandbox.Id }, cancellationToken);
            }
            catch (CriException e) when (e.IsNotFound)
            {
            }
        }

        _probes?.RemovePod(uid);
        await _parts.TearDownAsync(uid, pod, cancellationToken);
        _images.Forget(uid);
        _crashBackoff.ResetPrefix(uid + "/");
        ForgetWork(uid);
        _pods.Forget(uid);
    }
}
