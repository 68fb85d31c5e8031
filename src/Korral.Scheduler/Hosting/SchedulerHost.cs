using Korral.Client;
using Korral.Client.Events;
using Korral.Client.Informers;
using Korral.Client.LeaderElection;

namespace Korral.Scheduler.Hosting;

/// <summary>
/// Runs the scheduler as a component: campaigns for the Lease <c>kube-system/kube-scheduler</c> and, while leading, builds
/// informers, an event recorder (component <c>default-scheduler</c>) and a <see cref="Scheduling.Scheduler"/>, syncs the
/// caches and schedules. A lost term tears everything down; the next term starts fresh.
/// </summary>
public sealed class SchedulerHost(KubeClient client, SchedulerHostOptions options)
{
    private readonly TaskCompletionSource _firstTermStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the first term's caches have synced and scheduling began.</summary>
    public Task Started => _firstTermStarted.Task;

    /// <summary>The scheduler of the current term; null while not leading.</summary>
    public Scheduling.Scheduler? Current { get; private set; }

    public Task RunAsync(CancellationToken cancellationToken)
    {
        var log = options.Scheduler.Log;
        if (!options.LeaderElect)
        {
            return LeadAsync(cancellationToken);
        }

        return CampaignLoop.RunAsync(client, new LeaderElectionConfig
        {
            LeaseNamespace = options.LeaseNamespace,
            LeaseName = options.LeaseName,
            Identity = options.Identity,
            LeaseDuration = options.LeaseDuration,
            RenewDeadline = options.RenewDeadline,
            RetryPeriod = options.RetryPeriod,
            ReleaseOnCancel = true,
            Time = options.Scheduler.Time,
            Log = log,
            OnStartedLeading = LeadAsync,
            OnNewLeader = leader => log($"scheduler: leader is {leader}"),
        }, $"scheduler {options.Identity}", cancellationToken);
    }

    private async Task LeadAsync(CancellationToken cancellationToken)
    {
        var log = options.Scheduler.Log;
        log($"scheduler {options.Identity}: leading");
        await using var informers = new SharedInformerFactory(client, new InformerOptions { Log = log, Time = options.Scheduler.Time });
        await using var events = new EventRecorder(client, new EventRecorderOptions
        {
            Component = options.Scheduler.SchedulerName,
            Time = options.Scheduler.Time,
            Log = log,
        });
        await using var scheduler = new Scheduling.Scheduler(client, informers, events, options.Scheduler);
        try
        {
            informers.Start(cancellationToken);
            await informers.WaitForCacheSyncAsync(cancellationToken).ConfigureAwait(false);
            Current = scheduler;
            options.OnStarted?.Invoke(scheduler);
            _firstTermStarted.TrySetResult();
            await scheduler.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            Current = null;
            log($"scheduler {options.Identity}: stopped");
        }
    }
}
