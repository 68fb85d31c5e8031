namespace Korral.Scheduler.Plugins.VolumeBinding;

/// <summary>
/// Wakes PreBind waiters when the volume or claim informers change. Take <see cref="Next"/> before checking: a change
/// between the check and the wait still completes the task taken, so no change is missed.
/// </summary>
internal sealed class ChangeSignal
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Next()
    {
        lock (_lock)
        {
            return _next.Task;
        }
    }

    public void Pulse()
    {
        TaskCompletionSource fired;
        lock (_lock)
        {
            fired = _next;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        fired.TrySetResult();
    }
}
