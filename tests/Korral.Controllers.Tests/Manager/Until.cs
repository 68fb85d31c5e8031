using Korral.Api.Models;
using Korral.Client;
using Korral.Client.Informers;

namespace Korral.Controllers.Tests.Manager;

/// <summary>
/// Waits, driven by a watch (an informer of its own), until an object satisfies a condition: checked on every change
/// of it, never by sleeping. On timeout fails with the last state seen.
/// </summary>
public static class Until
{
    public static async Task<T?> ObjectAsync<T>(KubeClient client, string? ns, string name, Func<T?, bool> condition, TimeSpan? timeout = null, string? what = null)
        where T : class
    {
        var key = Korral.Client.ObjectKey.Of(ns, name);
        await using var informers = new SharedInformerFactory(client, new InformerOptions { Namespace = ns });
        var informer = informers.Informer<T>(client.Resource<T>().Resource, new InformerOptions { Namespace = ns });
        var done = new TaskCompletionSource<T?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var last = default(T);

        void Check()
        {
            var current = informer.Lister.Get(key);
            last = current;
            if (condition(current))
            {
                done.TrySetResult(current);
            }
        }

        informer.AddEventHandler(onAdd: _ => Check(), onUpdate: (_, _) => Check(), onDelete: _ => Check());
        using var stop = new CancellationTokenSource();
        informers.Start(stop.Token);
        await informer.WaitForSyncAsync(stop.Token);
        Check();
        var limit = timeout ?? TimeSpan.FromSeconds(20);
        if (await Task.WhenAny(done.Task, Task.Delay(limit)) != done.Task)
        {
            await stop.CancelAsync();
            Assert.Fail($"timed out after {limit.TotalSeconds} s waiting for {what ?? typeof(T).Name} {key}; last seen:\n{(last is null ? "(none)" : KubeJson.Serialize(last))}");
        }

        await stop.CancelAsync();
        return await done.Task;
    }
}
