using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Runtime;

public sealed partial class SchedulingFramework
{
    /// <summary>Runs Reserve in order; on a failure the caller runs <see cref="RunUnreservePlugins"/>.</summary>
    public Status RunReservePlugins(CycleState state, PodInfo pod, string nodeName)
    {
        foreach (var plugin in _reserve)
        {
            var status = plugin.Reserve(state, pod, nodeName);
            if (!status.IsSuccess)
            {
                return status.WithPlugin(plugin.Name);
            }
        }

        return Status.Success;
    }

    /// <summary>Undoes Reserve, in reverse order (every plugin, whether or not its Reserve ran).</summary>
    public void RunUnreservePlugins(CycleState state, PodInfo pod, string nodeName)
    {
        for (var i = _reserve.Count - 1; i >= 0; i--)
        {
            _reserve[i].Unreserve(state, pod, nodeName);
        }
    }

    /// <summary>
    /// Runs Permit: a rejection ends it; Wait answers are collected and the returned task waits for them (null when nobody
    /// waits, the common case, so binding does not pay for a task).
    /// </summary>
    public (Status Status, Task<Status>? Wait) RunPermitPlugins(CycleState state, PodInfo pod, string nodeName)
    {
        Dictionary<string, TimeSpan>? waits = null;
        foreach (var plugin in _permit)
        {
            var (status, timeout) = plugin.Permit(state, pod, nodeName);
            if (status.Code == StatusCode.Wait)
            {
                // Upstream caps a permit wait at 15 minutes.
                (waits ??= new Dictionary<string, TimeSpan>(StringComparer.Ordinal))[plugin.Name] =
                    timeout > TimeSpan.FromMinutes(15) ? TimeSpan.FromMinutes(15) : timeout;
                continue;
            }

            if (!status.IsSuccess)
            {
                return (status.WithPlugin(plugin.Name), null);
            }
        }

        return waits is null ? (Status.Success, null) : (Status.Wait(), WaitingPodsImpl.Hold(pod.Uid, waits));
    }

    public async Task<Status> RunPreBindPluginsAsync(CycleState state, PodInfo pod, string nodeName, CancellationToken cancellationToken)
    {
        foreach (var plugin in _preBind)
        {
            var status = await plugin.PreBindAsync(state, pod, nodeName, cancellationToken).ConfigureAwait(false);
            if (!status.IsSuccess)
            {
                return status.WithPlugin(plugin.Name);
            }
        }

        return Status.Success;
    }

    /// <summary>Runs Bind plugins until one does not skip.</summary>
    public async Task<Status> RunBindPluginsAsync(CycleState state, PodInfo pod, string nodeName, CancellationToken cancellationToken)
    {
        foreach (var plugin in _bind)
        {
            var status = await plugin.BindAsync(state, pod, nodeName, cancellationToken).ConfigureAwait(false);
            if (!status.IsSkip)
            {
                return status.WithPlugin(plugin.Name);
            }
        }

        return Status.Error("no bind plugin bound the pod");
    }

    public void RunPostBindPlugins(CycleState state, PodInfo pod, string nodeName)
    {
        foreach (var plugin in _postBind)
        {
            plugin.PostBind(state, pod, nodeName);
        }
    }
}
