using Korral.Api.Models;
using Korral.Api.Models.CoreV1;
using Korral.Client;
using Korral.Kubelet.Cri;
using Korral.Kubelet.Cri.V1;
using Korral.Kubelet.Probes;
using ContainerState = Korral.Kubelet.Cri.V1.ContainerState;

namespace Korral.Kubelet.Pods;

public sealed partial class PodSyncer
{
    /// <summary>Computes the pod's status from the runtime and writes it when it differs from what the API server has.</summary>
    private async Task WriteStatusAsync(Pod pod, PodWork work, bool terminating, CancellationToken cancellationToken)
    {
        var uid = pod.Metadata!.Uid!;
        var runtime = (await RuntimeRelister.ListAsync(_runtime, uid, cancellationToken)).GetValueOrDefault(uid);
        PodSandboxStatus? sandbox = null;
        if (runtime?.Sandbox is { } newest)
        {
            try
            {
                sandbox = (await _runtime.PodSandboxStatusAsync(new PodSandboxStatusRequest { PodSandboxId = newest.Id }, cancellationToken)).Status;
            }
            catch (CriException e) when (e.IsNotFound)
            {
            }
        }

        var statuses = await Task.WhenAll((runtime?.Containers ?? []).Select(c => StatusOfAsync(c.Id, cancellationToken)));
        var containers = new List<Korral.Kubelet.Cri.V1.ContainerStatus>(statuses.Length);
        foreach (var status in statuses)
        {
            if (status is null)
            {
                continue;
            }

            if (status.State == ContainerState.ContainerExited && string.IsNullOrEmpty(status.Message)
                && FindSpec(pod, status.Metadata?.Name) is { } spec && _parts.TerminationMessage(pod, spec, status) is { Length: > 0 } message)
            {
                var copy = status.Clone();
                copy.Message = message;
                containers.Add(copy);
            }
            else
            {
                containers.Add(status);
            }
        }

        UpdateProbes(pod, sandbox, containers, terminating);
        var state = new PodRuntimeState(sandbox, containers, new Dictionary<string, ContainerWaiting>(work.Waiting))
        {
            ReadyContainers = _probes?.ReadyContainers(uid),
            StartedContainers = _probes?.StartedContainers(uid),
        };
        var next = _parts.BuildStatus(pod, state, work.LastStatus, terminating);
        work.LastStatus = next;
        if (_parts.StatusPatch(pod, next) is not { } patch)
        {
            return;
        }

        try
        {
            await _client.Resource<Pod>().PatchStatusAsync(pod.Metadata.Namespace, pod.Metadata.Name!, PatchType.StrategicMerge, patch, cancellationToken);
        }
        catch (KubeApiException e) when (e.IsNotFound || e.IsConflict)
        {
            // Deleted meanwhile, or the name belongs to a newer pod: nothing to report.
        }
    }

    /// <summary>Probes the newest attempt of each running regular container; a terminating pod is no longer probed.</summary>
    private void UpdateProbes(Pod pod, PodSandboxStatus? sandbox, IReadOnlyList<Korral.Kubelet.Cri.V1.ContainerStatus> containers, bool terminating)
    {
        if (_probes is null)
        {
            return;
        }

        if (terminating)
        {
            _probes.RemovePod(pod.Metadata!.Uid!);
            return;
        }

        var podIp = string.IsNullOrEmpty(sandbox?.Network?.Ip) ? null : sandbox.Network.Ip;
        var running = new List<ProbeTarget>();
        foreach (var spec in pod.Spec?.Containers ?? [])
        {
            var newest = containers.Where(c => c.Metadata?.Name == spec.Name).OrderByDescending(c => c.Metadata.Attempt).ThenByDescending(c => c.CreatedAt)
                .FirstOrDefault();
            if (newest is { State: ContainerState.ContainerRunning }
                && (spec.LivenessProbe is not null || spec.ReadinessProbe is not null || spec.StartupProbe is not null))
            {
                running.Add(new ProbeTarget(pod, spec, newest.Id, FromNanos(newest.StartedAt), podIp));
            }
        }

        _probes.UpdatePod(pod, running);
    }

    private static Korral.Api.Models.CoreV1.Container? FindSpec(Pod pod, string? name) =>
        pod.Spec?.Containers?.FirstOrDefault(c => c.Name == name) ?? pod.Spec?.InitContainers?.FirstOrDefault(c => c.Name == name);
}
