using System.Threading.Channels;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;

namespace Korral.Client.Events;

/// <summary>
/// Writes core/v1 Events the way upstream's recorder does: named "&lt;object&gt;.&lt;hex unix nanoseconds&gt;", in the
/// object's namespace ("default" for cluster-scoped objects), with source, first/last timestamp and count. A repeat of
/// the same event within <see cref="EventRecorderOptions.AggregationWindow"/> PATCHes the count of the first one;
/// many similar events of one reason are combined; each object gets a burst of 25 and then one per 5 minutes.
/// <see cref="Event{T}"/> only queues (bounded; full means dropped and logged); one background loop writes.
/// </summary>
public sealed class EventRecorder : IEventRecorder, IAsyncDisposable
{
    private readonly EventRecorderOptions _options;
    private readonly ResourceClient<Event> _events;
    private readonly Channel<Item> _queue;
    private readonly EventCorrelator _correlator;
    private readonly CancellationTokenSource _stop = new();
    private readonly Action<string> _log;
    private readonly Task _loop;
    private long _dropped;
    private long _lastNanos;

    public EventRecorder(KubeClient client, EventRecorderOptions options)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid event recorder options:\n  " + string.Join("\n  ", errors), nameof(options));
        }

        _options = options;
        _events = client.Resource<Event>();
        var log = options.Log ?? (_ => { });
        _log = line => log($"events ({options.Component}): {line}");
        _correlator = new EventCorrelator(options);
        _queue = Channel.CreateBounded<Item>(new BoundedChannelOptions(options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        _loop = Task.Run(WriteLoopAsync);
    }

    /// <summary>Events dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Event<T>(T obj, string type, string reason, string message)
        where T : class => Event(KubeObject.Reference(obj), type, reason, message);

    public void Event(ObjectReference involvedObject, string type, string reason, string message)
    {
        if (type is not (EventTypes.Normal or EventTypes.Warning))
        {
            _log($"unsupported event type \"{type}\" for {reason} on {involvedObject.Kind} {involvedObject.Name}: not recorded");
            return;
        }

        if (!_queue.Writer.TryWrite(new Item(involvedObject, type, reason, message, _options.Time.GetUtcNow(), null)))
        {
            var dropped = Interlocked.Increment(ref _dropped);
            if (dropped == 1 || dropped % 100 == 0)
            {
                _log($"queue full ({_options.QueueCapacity}): dropped {reason} on {involvedObject.Kind} {involvedObject.Namespace}/{involvedObject.Name} ({dropped} dropped so far)");
            }
        }
    }

    /// <summary>Waits until every event queued before this call has been written (or given up on).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _queue.Writer.WriteAsync(new Item(null, "", "", "", default, done), cancellationToken);
        await done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Writes what is queued (for up to <see cref="EventRecorderOptions.ShutdownTimeout"/>), then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        try
        {
            await _loop.WaitAsync(_options.ShutdownTimeout);
        }
        catch (TimeoutException)
        {
            _log("stopping with events still queued");
            await _stop.CancelAsync();
            await _loop;
        }

        _stop.Dispose();
    }

    private async Task WriteLoopAsync()
    {
        var token = _stop.Token;
        try
        {
            await foreach (var item in _queue.Reader.ReadAllAsync(token))
            {
                if (item.Flushed is { } flushed)
                {
                    flushed.TrySetResult();
                    continue;
                }

                var correlation = _correlator.Correlate(Make(item), item.Time);
                if (correlation.Skip)
                {
                    continue;
                }

                if (await WriteAsync(correlation, token) is { } saved)
                {
                    _correlator.Saved(correlation.Key, saved, item.Time);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    private Event Make(Item item)
    {
        var reference = item.Involved!;
        // Names must be unique per namespace: two events of one object in the same 100 ns tick get consecutive stamps.
        var nanos = (item.Time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        nanos = _lastNanos = Math.Max(nanos, _lastNanos + 1);
        var host = string.IsNullOrEmpty(_options.Host) ? null : _options.Host;
        return new Event
        {
            Metadata = new ObjectMeta
            {
                Name = $"{reference.Name}.{nanos:x}",
                Namespace = string.IsNullOrEmpty(reference.Namespace) ? "default" : reference.Namespace,
            },
            InvolvedObject = reference,
            Reason = item.Reason,
            Message = item.Message,
            Type = item.Type,
            FirstTimestamp = item.Time,
            LastTimestamp = item.Time,
            Count = 1,
            Source = new EventSource { Component = _options.Component, Host = host },
            ReportingComponent = _options.Component,
            ReportingInstance = host,
        };
    }

    private async Task<Event?> WriteAsync(Correlation c, CancellationToken cancellationToken)
    {
        var e = c.Event;
        var ns = e.Metadata!.Namespace!;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (c.Patch is null)
                {
                    return await _events.CreateAsync(e, cancellationToken);
                }

                try
                {
                    return await _events.PatchAsync(ns, e.Metadata.Name!, PatchType.StrategicMerge, c.Patch, cancellationToken);
                }
                catch (KubeApiException notFound) when (notFound.IsNotFound)
                {
                    // The Event expired (events live an hour) or was deleted: record it anew under its name.
                    e.Metadata.ResourceVersion = null;
                    return await _events.CreateAsync(e, cancellationToken);
                }
            }
            catch (KubeApiException rejected) when (!(rejected.IsTooManyRequests || rejected.Code >= 500))
            {
                _log($"server rejected event {ns}/{e.Metadata.Name} ({e.Reason}): {rejected.Message}; not retried");
                return null;
            }
            catch (Exception failed) when (failed is KubeApiException or HttpRequestException or IOException or TimeoutException)
            {
                if (attempt >= _options.MaxWriteAttempts)
                {
                    _log($"giving up on event {ns}/{e.Metadata.Name} ({e.Reason}) after {attempt} tries: {failed.Message}");
                    return null;
                }

                // Upstream waits a random part of the period before the first retry, so that recorders that failed
                // together do not retry together.
                var delay = attempt == 1 ? _options.WriteRetryDelay * Random.Shared.NextDouble() : _options.WriteRetryDelay;
                _log($"writing event {ns}/{e.Metadata.Name} failed ({failed.Message}); try {attempt + 1} in {delay.TotalSeconds:F1} s");
                await Task.Delay(delay, _options.Time, cancellationToken);
            }
        }
    }

    private sealed record Item(ObjectReference? Involved, string Type, string Reason, string Message, DateTimeOffset Time, TaskCompletionSource? Flushed);
}
