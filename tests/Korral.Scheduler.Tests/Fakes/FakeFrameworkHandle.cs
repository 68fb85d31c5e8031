using Korral.Client;
using Korral.Client.Events;
using Korral.Client.Informers;
using Korral.Client.Tests.Fixtures;
using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Tests.Fakes;

/// <summary>
/// A framework handle for plugin unit tests: a snapshot of the given nodes, the given PreFilter and Filter plugins run in
/// order (as the framework would, Skip and nominated pods included), an API client whose requests go to a
/// <see cref="FakeApiServer"/>, informers that are never started (seed them through their Indexer), and recording fakes
/// for events, waiting pods, the nominator and the log. <see cref="PreFilter"/> and <see cref="FilterAll"/> play the
/// scheduling cycle up to PostFilter.
/// </summary>
public sealed class FakeFrameworkHandle : IFrameworkHandle, IAsyncDisposable
{
    private readonly List<string> _log = [];
    private readonly IReadOnlyList<IPreFilterPlugin> _preFilters;
    private readonly IReadOnlyList<IFilterPlugin> _filters;

    public FakeFrameworkHandle(IEnumerable<NodeInfo> nodes, params IPlugin[] plugins)
    {
        Snapshot = new Snapshot(nodes);
        _preFilters = [.. plugins.OfType<IPreFilterPlugin>()];
        _filters = [.. plugins.OfType<IFilterPlugin>()];
        Client = new KubeClient(new KubeClientOptions { Server = new Uri("http://fake-apiserver"), Handler = Api, MaxRetries = 0 });
        Informers = new SharedInformerFactory(Client);
    }

    public FakeApiServer Api { get; } = new();

    public KubeClient Client { get; }

    public SharedInformerFactory Informers { get; }

    public RecordingEventRecorder Recorder { get; } = new();

    public IEventRecorder Events => Recorder;

    /// <summary>Starts at 2025-01-01T00:00:00Z.</summary>
    public FakeTimeProvider Clock { get; } = new();

    public TimeProvider Time => Clock;

    public Action<string> Log => line =>
    {
        lock (_log)
        {
            _log.Add(line);
        }
    };

    public List<string> LogLines
    {
        get
        {
            lock (_log)
            {
                return [.. _log];
            }
        }
    }

    public FakeWaitingPods Waiting { get; } = new();

    public IWaitingPods WaitingPods => Waiting;

    public FakeNominator Nominations { get; } = new();

    public INominator Nominator => Nominations;

    public Snapshot Snapshot { get; }

    public string SchedulerName { get; init; } = "default-scheduler";

    /// <summary>Runs the PreFilter plugins into a new cycle state (plugins that answer Skip are skipped at Filter).</summary>
    public CycleState PreFilter(PodInfo pod)
    {
        var state = new CycleState();
        foreach (var plugin in _preFilters)
        {
            var (_, status) = plugin.PreFilter(state, pod, Snapshot);
            if (status.IsSkip)
            {
                state.SkipFilterPlugins.Add(plugin.Name);
            }
            else if (!status.IsSuccess)
            {
                throw new InvalidOperationException($"PreFilter {plugin.Name} failed: {status}");
            }
        }

        return state;
    }

    /// <summary>Filters every node of the snapshot: the statuses of the nodes that rejected the pod, as PostFilter gets them.</summary>
    public NodeToStatus FilterAll(CycleState state, PodInfo pod)
    {
        var statuses = new NodeToStatus();
        foreach (var node in Snapshot.Nodes)
        {
            var status = RunFilterPluginsWithNominatedPods(state, pod, node);
            if (!status.IsSuccess)
            {
                statuses.Set(node.Name, status);
            }
        }

        return statuses;
    }

    /// <summary>
    /// As upstream: when pods of equal or higher priority are nominated to the node, the pod must fit both with them
    /// there (on copies of the node and state) and without them (they may never come).
    /// </summary>
    public Status RunFilterPluginsWithNominatedPods(CycleState state, PodInfo pod, NodeInfo node)
    {
        var nominated = Nominator.NominatedPodsForNode(node.Name).Where(p => p.Uid != pod.Uid && p.Priority >= pod.Priority).ToList();
        if (nominated.Count > 0)
        {
            var stateWith = state.Clone();
            var nodeWith = node.Clone();
            foreach (var p in nominated)
            {
                nodeWith.AddPod(p);
                var added = RunPreFilterExtensionAddPod(stateWith, pod, p, nodeWith);
                if (!added.IsSuccess)
                {
                    return added;
                }
            }

            var withNominated = RunFilters(stateWith, pod, nodeWith);
            if (!withNominated.IsSuccess)
            {
                return withNominated;
            }
        }

        return RunFilters(state, pod, node);
    }

    public Status RunPreFilterExtensionRemovePod(CycleState state, PodInfo podToSchedule, PodInfo podToRemove, NodeInfo node) =>
        RunExtensions(state, (extensions, s) => extensions.RemovePod(s, podToSchedule, podToRemove, node));

    public Status RunPreFilterExtensionAddPod(CycleState state, PodInfo podToSchedule, PodInfo podToAdd, NodeInfo node) =>
        RunExtensions(state, (extensions, s) => extensions.AddPod(s, podToSchedule, podToAdd, node));

    public async ValueTask DisposeAsync()
    {
        await Informers.DisposeAsync();
        Client.Dispose();
    }

    private Status RunFilters(CycleState state, PodInfo pod, NodeInfo node)
    {
        foreach (var filter in _filters)
        {
            if (state.SkipFilterPlugins.Contains(filter.Name))
            {
                continue;
            }

            var status = filter.Filter(state, pod, node);
            if (!status.IsSuccess)
            {
                return status.WithPlugin(filter.Name);
            }
        }

        return Status.Success;
    }

    private Status RunExtensions(CycleState state, Func<IPreFilterExtensions, CycleState, Status> run)
    {
        foreach (var plugin in _preFilters)
        {
            if (state.SkipFilterPlugins.Contains(plugin.Name) || plugin.Extensions is not { } extensions)
            {
                continue;
            }

            var status = run(extensions, state);
            if (!status.IsSuccess)
            {
                return status.WithPlugin(plugin.Name);
            }
        }

        return Status.Success;
    }
}
