using Korral.Api.Models.CoreV1;
using Korral.Client;
using Korral.Client.Events;
using Korral.Client.Informers;
using Korral.Scheduler.Cache;
using Korral.Scheduler.Framework;
using Korral.Scheduler.Queue;
using Korral.Scheduler.Runtime;

namespace Korral.Scheduler.Scheduling;

/// <summary>
/// The scheduler: takes pods from the <see cref="SchedulingQueue"/> one at a time, runs the framework over a snapshot of
/// the <see cref="SchedulerCache"/> (filter in parallel, stop after enough feasible nodes, score, pick the best), assumes
/// the pod on the chosen node and binds it off the loop while the next pod is scheduled. Failures go back to the queue with
/// a FailedScheduling event and the PodScheduled=False condition. Informer handlers keep cache and queue current.
/// </summary>
public sealed partial class Scheduler : IAsyncDisposable
{
    /// <summary>Upstream: the pod informer skips terminated pods.</summary>
    public const string PodFieldSelector = "status.phase!=Succeeded,status.phase!=Failed";

    private readonly KubeClient _client;
    private readonly SchedulerOptions _options;
    private readonly SharedInformer<Pod> _pods;
    private readonly Snapshot _snapshot = new();
    private readonly SemaphoreSlim _bindSlots;
    private readonly ParallelOptions _parallel;
    private readonly List<Task> _bindings = [];
    private readonly Lock _bindingsLock = new();
    private int _nextStartNodeIndex;

    public Scheduler(KubeClient client, SharedInformerFactory informers, IEventRecorder events, SchedulerOptions options)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("\n", errors), nameof(options));
        }

        _client = client;
        _options = options;
        _bindSlots = new SemaphoreSlim(options.MaxConcurrentBindings);
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism };
        Cache = new SchedulerCache();
        var nominator = new Nominator();
        Framework = SchedulingFramework.Create(options.Plugins,
            new FrameworkDependencies(client, informers, events, nominator, options.Time, options.Log, options.SchedulerName));
        Queue = new SchedulingQueue(options.Queue, Framework.Less, Framework.RunPreEnqueuePlugins, Framework.MovesOn, nominator);
        Events = events;
        _pods = informers.Informer<Pod>(client.Resource<Pod>().Resource, new InformerOptions { FieldSelector = PodFieldSelector, Log = options.Log });
        RegisterEventHandlers(informers);
    }

    public SchedulerCache Cache { get; }

    public SchedulingQueue Queue { get; }

    public SchedulingFramework Framework { get; }

    public SchedulerMetrics Metrics { get; } = new();

    private IEventRecorder Events { get; }

    /// <summary>Schedules until cancelled. The informers must be started and synced by the caller.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.Register(Queue.Close);
        while (!cancellationToken.IsCancellationRequested)
        {
            var next = await Queue.PopAsync(CancellationToken.None).ConfigureAwait(false);
            if (next is not { } popped)
            {
                break;
            }

            try
            {
                await ScheduleOneAsync(popped.Pod, popped.Cycle, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // A bug in a plugin must not stop scheduling: log, back the pod off, go on.
                _options.Log($"scheduler: scheduling {popped.Pod.Pod.Key} failed unexpectedly: {e}");
                popped.Pod.LastAttemptFailed = true;
                Queue.AddUnschedulableIfNotPresent(popped.Pod, popped.Cycle);
            }
        }

        Task[] inFlight;
        lock (_bindingsLock)
        {
            inFlight = [.. _bindings];
        }

        await Task.WhenAll(inFlight).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        Queue.Dispose();
        Task[] inFlight;
        lock (_bindingsLock)
        {
            inFlight = [.. _bindings];
        }

        try
        {
            await Task.WhenAll(inFlight).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Bindings cut short by shutdown; their pods are retried by the next leader.
        }

        _bindSlots.Dispose();
    }

    /// <summary>Whether this scheduler handles the pod: ours by name, not being deleted, not bound.</summary>
    internal bool Responsible(Pod pod) =>
        (pod.Spec?.SchedulerName ?? SchedulingFramework.DefaultSchedulerName) == _options.SchedulerName;

    private static bool Assigned(Pod pod) => !string.IsNullOrEmpty(pod.Spec?.NodeName);
}
