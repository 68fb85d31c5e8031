using Korral.Client.Events;
using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Scheduling;

public sealed partial class Scheduler
{
    /// <summary>
    /// Off the scheduling loop: waits for Permit, runs PreBind and Bind. Success: the Scheduled event. Failure: the assumed
    /// pod is forgotten and the pod retried.
    /// </summary>
    private async Task BindingCycleAsync(CycleState state, QueuedPodInfo queued, long cycle, PodInfo assumed, string host, Task<Status>? permitWait,
        CancellationToken cancellationToken)
    {
        Status status;
        try
        {
            status = permitWait is null ? Status.Success : await permitWait.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (status.IsSuccess)
            {
                status = await Framework.RunPreBindPluginsAsync(state, assumed, host, cancellationToken).ConfigureAwait(false);
            }

            if (status.IsSuccess)
            {
                status = await Framework.RunBindPluginsAsync(state, assumed, host, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Cache.ForgetPod(assumed.Uid);
            Queue.Done(assumed.Uid);
            return;
        }
        catch (Exception e)
        {
            status = Status.Error(e.Message);
        }

        if (status.IsSuccess)
        {
            Cache.FinishBinding(assumed.Uid);
            Queue.Done(assumed.Uid);
            Metrics.RecordScheduled(_options.Time.GetUtcNow() - queued.InitialAttemptTimestamp);
            Events.Event(assumed.Pod, EventTypes.Normal, "Scheduled", $"Successfully assigned {assumed.Namespace}/{assumed.Name} to {host}");
            Framework.RunPostBindPlugins(state, assumed, host);
            return;
        }

        Framework.RunUnreservePlugins(state, assumed, host);
        Cache.ForgetPod(assumed.Uid);
        if (!status.IsRejected)
        {
            status = Status.Error($"Binding rejected: {status.Message}");
        }

        FailAfterAssume(queued, cycle, status);
    }
}
