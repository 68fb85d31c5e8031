using System.Collections.Concurrent;
using Korral.Api.Models.CoreV1;
using Korral.Client;

namespace Korral.Bench.Kubelet.Measurement;

/// <summary>
/// One watch on the benchmark's pods (upstream's SLI: "observed via watch"), stamping each registered pod's timeline the
/// moment an event arrives: first seen scheduled, first seen running, gone. The stream resumes from the last
/// resourceVersion when the server ends it and lists again after 410. Waiters are woken after every event.
/// </summary>
public sealed class PodWatch : IAsyncDisposable
{
    private readonly KubeClient _client;
    private readonly string _namespace;
    private readonly string _labelSelector;
    private readonly Action<string> _progress;
    private readonly ConcurrentDictionary<string, PodTimeline> _pods = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loop = Task.CompletedTask;

    public PodWatch(KubeClient client, string ns, string labelSelector, Action<string> progress)
    {
        _client = client;
        _namespace = ns;
        _labelSelector = labelSelector;
        _progress = progress;
    }

    /// <summary>Lists once (so the watch starts from a known resourceVersion) and starts watching.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var list = await _client.Resource<Pod>().ListAsync(_namespace, new ListOptions { LabelSelector = _labelSelector }, cancellationToken);
        var version = list.Metadata?.ResourceVersion;
        _loop = Task.Run(() => WatchLoopAsync(version, _stop.Token), CancellationToken.None);
    }

    /// <summary>Registers a pod before it is created so that its events are recorded.</summary>
    public void Track(PodTimeline pod) => _pods[pod.Name] = pod;

    /// <summary>Waits until <paramref name="done"/> holds (re-checked after every watch event), at most <paramref name="timeout"/>.</summary>
    public async Task WaitAsync(Func<bool> done, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                changed = _changed.Task;
            }

            if (done())
            {
                return;
            }

            if (_loop.IsFaulted)
            {
                await _loop;
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{what}: not done within {timeout.TotalSeconds} s");
            }
        }
    }

    private async Task WatchLoopAsync(string? version, CancellationToken cancellationToken)
    {
        try
        {
            await WatchUntilStoppedAsync(version, cancellationToken);
        }
        finally
        {
            // A watch that failed for good wakes the waiters, which then see the failure instead of their timeout.
            Signal();
        }
    }

    private async Task WatchUntilStoppedAsync(string? version, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var options = new WatchOptions { ResourceVersion = version, LabelSelector = _labelSelector, AllowWatchBookmarks = true, TimeoutSeconds = 600 };
                await foreach (var e in _client.Resource<Pod>().WatchAsync(_namespace, options, cancellationToken))
                {
                    var at = DateTimeOffset.UtcNow;
                    version = e.Object.Metadata?.ResourceVersion ?? version;
                    if (e.Type != WatchEventType.Bookmark)
                    {
                        Record(e.Type, e.Object, at);
                    }
                }
            }
            catch (KubeApiException e) when (e.IsGone)
            {
                _progress("pod watch: resourceVersion expired (410); listing again (pods that changed meanwhile are stamped late)");
                var list = await _client.Resource<Pod>().ListAsync(_namespace, new ListOptions { LabelSelector = _labelSelector }, cancellationToken);
                foreach (var pod in list.Items)
                {
                    Record(WatchEventType.Modified, pod, DateTimeOffset.UtcNow);
                }

                version = list.Metadata?.ResourceVersion;
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                _progress($"pod watch: {e.Message}; resuming");
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            }
        }
    }

    private void Record(WatchEventType type, Pod pod, DateTimeOffset at)
    {
        if (pod.Metadata?.Name is not { } name || !_pods.TryGetValue(name, out var timeline) ||
            (timeline.Uid is { } uid && pod.Metadata.Uid != uid))
        {
            return;
        }

        timeline.Uid ??= pod.Metadata.Uid;
        if (type == WatchEventType.Deleted)
        {
            timeline.Gone ??= at;
        }
        else
        {
            if (timeline.Scheduled is null && !string.IsNullOrEmpty(pod.Spec?.NodeName))
            {
                timeline.Scheduled = at;
            }

            if (timeline.Running is null)
            {
                timeline.EventsUntilRunning++;

                if (IsRunning(pod))
                {
                    timeline.Running = at;
                    timeline.StartedAt = pod.Status!.ContainerStatuses!.Max(c => c.State!.Running!.StartedAt);
                }
            }
        }

        Signal();
    }

    private void Signal()
    {
        lock (_lock)
        {
            var changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            changed.TrySetResult();
        }
    }

    /// <summary>Phase Running and every container of the spec reported in state running (started).</summary>
    private static bool IsRunning(Pod pod) =>
        pod.Status is { Phase: "Running", ContainerStatuses: { } statuses } &&
        pod.Spec?.Containers is { Count: > 0 } containers &&
        containers.All(c => statuses.Any(s => s.Name == c.Name && s.State?.Running is not null));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}
