using Korral.Client;
using Korral.Client.Events;
using Korral.Client.Informers;
using Korral.Client.LeaderElection;

namespace Korral.Controllers.Manager;

/// <summary>
/// The controller manager: campaigns for the Lease <c>kube-system/kube-controller-manager</c> and, while it leads, runs
/// every enabled controller of <see cref="ControllerRegistry.All"/> over one <see cref="SharedInformerFactory"/> and one
/// <see cref="EventRecorder"/>. When leadership ends the controllers are stopped and everything built for the term is
/// disposed; the manager then campaigns again with fresh informers and controllers (upstream exits the process instead,
/// which is not an option for a manager running inside <c>korral server</c>).
/// </summary>
public sealed class ControllerManager
{
    private readonly KubeClient _client;
    private readonly ControllerManagerOptions _options;
    private readonly IReadOnlyList<(string Name, int Workers, Func<ControllerContext, IController> Create)> _controllers;
    private readonly TaskCompletionSource _firstTermStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _leading;

    public ControllerManager(KubeClient client, ControllerManagerOptions options,
        IReadOnlyList<(string Name, int Workers, Func<ControllerContext, IController> Create)>? controllers = null)
    {
        _client = client;
        _options = options;
        _controllers = controllers ?? ControllerRegistry.All;
        var errors = options.Validate(_controllers.Select(c => c.Name));
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("\n", errors), nameof(options));
        }
    }

    public string Identity => _options.Identity;

    /// <summary>True while this instance holds the lease and its controllers run.</summary>
    public bool IsLeading => _leading;

    /// <summary>The names of the controllers this manager runs when it leads.</summary>
    public IReadOnlyList<string> EnabledControllers => _controllers.Where(c => _options.IsEnabled(c.Name)).Select(c => c.Name).ToList();

    /// <summary>Completes when this instance first leads and its controllers' caches have synced.</summary>
    public Task Started => _firstTermStarted.Task;

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled; the lease is released on the way out.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        CampaignLoop.RunAsync(_client, new LeaderElectionConfig
        {
            LeaseNamespace = _options.LeaseNamespace,
            LeaseName = _options.LeaseName,
            Identity = _options.Identity,
            LeaseDuration = _options.LeaseDuration,
            RenewDeadline = _options.RenewDeadline,
            RetryPeriod = _options.RetryPeriod,
            ReleaseOnCancel = true,
            Time = _options.Time,
            Log = _options.Log,
            OnStartedLeading = LeadAsync,
            OnNewLeader = leader => _options.Log($"controller manager: leader is {leader}"),
        }, $"controller manager {_options.Identity}", cancellationToken);

    /// <summary>One term as leader: build, start, run until <paramref name="cancellationToken"/>, then tear down.</summary>
    private async Task LeadAsync(CancellationToken cancellationToken)
    {
        var log = _options.Log;
        log($"controller manager {_options.Identity}: leading; starting {string.Join(", ", EnabledControllers)}");
        await using var informers = new SharedInformerFactory(_client, new InformerOptions { Log = log, Time = _options.Time });
        await using var events = new EventRecorder(_client, new EventRecorderOptions { Component = "kube-controller-manager" });
        var context = new ControllerContext(_client, informers, events, _options.Time, log) { Options = _options };
        var running = new List<(IController Controller, int Workers)>();
        foreach (var (name, workers, create) in _controllers)
        {
            if (_options.IsEnabled(name))
            {
                running.Add((create(context), workers));
            }
        }

        _leading = true;
        try
        {
            informers.Start(cancellationToken);
            await informers.WaitForCacheSyncAsync(cancellationToken);
            _firstTermStarted.TrySetResult();
            await Task.WhenAll(running.Select(r => RunControllerAsync(r.Controller, r.Workers, cancellationToken)));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            _leading = false;
            log($"controller manager {_options.Identity}: controllers stopped");
        }
    }

    private async Task RunControllerAsync(IController controller, int workers, CancellationToken cancellationToken)
    {
        try
        {
            await controller.RunAsync(workers, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            _options.Log($"controller {controller.Name} failed: {e}");
        }
    }
}
