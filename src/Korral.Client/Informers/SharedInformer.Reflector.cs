namespace Korral.Client.Informers;

public sealed partial class SharedInformer<T>
{
    /// <summary>A watch that ends this fast without an event counts as a failure (backoff), not as a normal end.</summary>
    private static readonly TimeSpan ShortWatch = TimeSpan.FromSeconds(1);

    private async Task ListAndWatchAsync(CancellationToken cancellationToken)
    {
        var backoff = new Backoff(_options.InitialBackoff, _options.MaxBackoff, jitter: 1.0);
        var time = _options.Time;
        var needList = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (needList)
                {
                    var list = await _client.ListAllAsync(_options.Namespace,
                        new ListOptions { LabelSelector = _options.LabelSelector, FieldSelector = _options.FieldSelector }, _options.PageSize, cancellationToken);
                    Interlocked.Increment(ref _lists);
                    ApplyList(list);
                    needList = false;
                    backoff.Reset();
                }

                var opened = time.GetTimestamp();
                var events = 0;
                var watch = new WatchOptions
                {
                    ResourceVersion = _resourceVersion,
                    LabelSelector = _options.LabelSelector,
                    FieldSelector = _options.FieldSelector,
                    AllowWatchBookmarks = true,
                    TimeoutSeconds = (int)(_options.MinWatchTimeout.TotalSeconds * (1 + Random.Shared.NextDouble())),
                };
                Interlocked.Increment(ref _watches);
                await foreach (var e in _client.WatchAsync(_options.Namespace, watch, cancellationToken))
                {
                    events++;
                    ApplyEvent(e);
                }

                if (events == 0 && time.GetElapsedTime(opened) < ShortWatch && !cancellationToken.IsCancellationRequested)
                {
                    throw new IOException("the watch ended at once without an event");
                }

                // The server ended the stream (timeoutSeconds, its limit, a slow-watcher cut-off): resume from the last version.
                backoff.Reset();
                WatchEnded?.Invoke();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (KubeApiException e) when (e.IsGone)
            {
                // The version left the server's window (compaction, restart, a long disconnection): list again.
                _log($"resourceVersion {_resourceVersion} is too old ({e.Status.Message}); relisting");
                needList = true;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Transport failures resume the watch from the last version (a 410 then says whether that is still
                // possible); API errors and undecodable streams start over with a list.
                needList |= e is not (HttpRequestException or IOException or TimeoutException);
                var delay = backoff.Next();
                _log($"{(needList ? "list" : "watch")} failed ({e.GetType().Name}: {e.Message}); retry {backoff.Attempts} in {delay.TotalMilliseconds:F0} ms");
                try
                {
                    await Task.Delay(delay, time, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
