using System.Threading.Channels;

namespace Korral.Client.Informers;

public sealed partial class SharedInformer<T>
{
    private enum NotificationKind
    {
        Add,
        Update,
        Delete,
        Synced,
    }

    /// <summary>One notification: Add (New, Flag = in initial list), Update (Old, New), Delete (Old, Flag = final state unknown).</summary>
    private readonly record struct Notification(NotificationKind Kind, T? Old, T? New, bool Flag)
    {
        public static Notification Synced => new(NotificationKind.Synced, null, null, false);
    }

    /// <summary>
    /// One handler's queue and loop. The queue is unbounded on purpose, as upstream's processorListener: the watch must
    /// never wait for a slow handler (that would stall every other handler and let the server cut the watch off). A
    /// handler's backlog is logged as it grows (10k, 20k, 40k…) so that a handler that does real work shows up.
    /// </summary>
    private sealed class Listener(SharedInformer<T> owner, IResourceEventHandler<T> handler) : IEventHandlerRegistration
    {
        private readonly Channel<Notification> _queue = Channel.CreateUnbounded<Notification>(new UnboundedChannelOptions { SingleReader = true });
        private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _pending;
        private long _warnAt = 10_000;

        public bool HasSynced => _synced.Task.IsCompleted;

        public Task WaitForSyncAsync(CancellationToken cancellationToken) => _synced.Task.WaitAsync(cancellationToken);

        public void Start() => _ = Task.Run(RunAsync);

        public void Post(Notification notification)
        {
            if (!_queue.Writer.TryWrite(notification))
            {
                return;
            }

            var pending = Interlocked.Increment(ref _pending);
            if (pending >= _warnAt)
            {
                _warnAt *= 2;
                owner._log($"a handler ({handler.GetType().Name}) has {pending} notifications waiting: it is slower than the watch");
            }
        }

        public void Complete() => _queue.Writer.TryComplete();

        public void Dispose()
        {
            owner.Remove(this);
            Complete();
        }

        private async Task RunAsync()
        {
            var reader = _queue.Reader;
            while (await reader.WaitToReadAsync())
            {
                while (reader.TryRead(out var n))
                {
                    Interlocked.Decrement(ref _pending);
                    try
                    {
                        switch (n.Kind)
                        {
                            case NotificationKind.Add:
                                handler.OnAdd(n.New!, n.Flag);
                                break;
                            case NotificationKind.Update:
                                handler.OnUpdate(n.Old!, n.New!);
                                break;
                            case NotificationKind.Delete:
                                handler.OnDelete(n.Old!, n.Flag);
                                break;
                            case NotificationKind.Synced:
                                _synced.TrySetResult();
                                break;
                        }
                    }
                    catch (Exception e)
                    {
                        owner._log($"handler {handler.GetType().Name} threw on {n.Kind}: {e}");
                    }
                }
            }
        }
    }
}
