using Korral.Client;
using Korral.Client.Events;
using Korral.Client.Informers;
using Korral.Scheduler.Framework;
using Korral.Scheduler.Plugins;

namespace Korral.Scheduler.Runtime;

/// <summary>
/// One scheduling profile: the plugins of each extension point, in registry order, and how to run them. Filter and Score
/// run over nodes in parallel; everything else runs in order and stops at the first plugin that does not succeed (as
/// upstream). Also the <see cref="IFrameworkHandle"/> plugins are built with.
/// </summary>
public sealed partial class SchedulingFramework : IFrameworkHandle
{
    public const string DefaultSchedulerName = "default-scheduler";

    /// <summary>Below this many plugin calls a loop over nodes runs on the calling thread (parallel costs more than it saves).</summary>
    internal const int ParallelThreshold = 512;

    private readonly FrameworkDependencies _deps;
    private readonly List<IPlugin> _plugins = [];
    private readonly List<IPreEnqueuePlugin> _preEnqueue = [];
    private readonly List<IPreFilterPlugin> _preFilter = [];
    private readonly List<IFilterPlugin> _filter = [];
    private readonly List<IPostFilterPlugin> _postFilter = [];
    private readonly List<IPreScorePlugin> _preScore = [];
    private readonly List<(IScorePlugin Plugin, int Weight)> _score = [];
    private readonly List<IReservePlugin> _reserve = [];
    private readonly List<IPermitPlugin> _permit = [];
    private readonly List<IPreBindPlugin> _preBind = [];
    private readonly List<IBindPlugin> _bind = [];
    private readonly List<IPostBindPlugin> _postBind = [];
    private readonly Dictionary<string, IReadOnlyList<ClusterEvent>?> _events = new(StringComparer.Ordinal);
    private IQueueSortPlugin? _queueSort;

    private SchedulingFramework(FrameworkDependencies deps)
    {
        _deps = deps;
        WaitingPodsImpl = new WaitingPods(deps.Time);
    }

    /// <summary>Builds the plugins of <paramref name="entries"/> against this framework.</summary>
    public static SchedulingFramework Create(IEnumerable<PluginEntry> entries, FrameworkDependencies deps)
    {
        var framework = new SchedulingFramework(deps);
        foreach (var entry in entries)
        {
            framework.Add(entry.Create(framework), entry.ScoreWeight);
        }

        if (framework._queueSort is null)
        {
            throw new InvalidOperationException("a scheduling profile needs exactly one queue-sort plugin");
        }

        return framework;
    }

    /// <summary>Builds a framework from ready plugin instances (tests; plugins that need the handle get it via the factory form).</summary>
    public static SchedulingFramework Create(IEnumerable<(Func<IFrameworkHandle, IPlugin> Create, int Weight)> plugins, FrameworkDependencies deps) =>
        Create(plugins.Select(p => new PluginEntry("", p.Create, p.Weight)), deps);

    public IReadOnlyList<IPlugin> Plugins => _plugins;

    public KubeClient Client => _deps.Client;

    public SharedInformerFactory Informers => _deps.Informers;

    public IEventRecorder Events => _deps.Events;

    public TimeProvider Time => _deps.Time;

    public Action<string> Log => _deps.Log;

    public IWaitingPods WaitingPods => WaitingPodsImpl;

    public INominator Nominator => _deps.Nominator;

    public Snapshot Snapshot { get; internal set; } = new();

    public string SchedulerName => _deps.SchedulerName;

    internal WaitingPods WaitingPodsImpl { get; }

    public bool HasPostFilter => _postFilter.Count > 0;

    /// <summary>The queue-sort plugin's order.</summary>
    public bool Less(QueuedPodInfo a, QueuedPodInfo b) => _queueSort!.Less(a, b);

    /// <summary>Whether a pod rejected by <paramref name="pod"/>'s unschedulable plugins may fit after <paramref name="clusterEvent"/>.</summary>
    public bool MovesOn(QueuedPodInfo pod, ClusterEvent clusterEvent)
    {
        if (pod.UnschedulablePlugins.Count == 0)
        {
            return true;
        }

        foreach (var plugin in pod.UnschedulablePlugins)
        {
            // A plugin that registers nothing is interested in everything.
            if (!_events.TryGetValue(plugin, out var registered) || registered is null)
            {
                return true;
            }

            foreach (var e in registered)
            {
                if (e.Covers(clusterEvent))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The resources some plugin registered events for (a plugin registering nothing counts for none here).</summary>
    public IReadOnlySet<EventResource> RegisteredResources() =>
        _events.Values.Where(e => e is not null).SelectMany(e => e!).Select(e => e.Resource).ToHashSet();

    public Status RunPreEnqueuePlugins(PodInfo pod)
    {
        foreach (var plugin in _preEnqueue)
        {
            var status = plugin.PreEnqueue(pod);
            if (!status.IsSuccess)
            {
                return status.WithPlugin(plugin.Name);
            }
        }

        return Status.Success;
    }

    private void Add(IPlugin plugin, int weight)
    {
        _plugins.Add(plugin);
        _events[plugin.Name] = plugin is IEnqueueExtensions ext ? ext.EventsToRegister() : null;
        if (plugin is IQueueSortPlugin sort)
        {
            if (_queueSort is not null)
            {
                throw new InvalidOperationException($"two queue-sort plugins: {_queueSort.Name} and {plugin.Name}");
            }

            _queueSort = sort;
        }

        AddIf(_preEnqueue, plugin);
        AddIf(_preFilter, plugin);
        AddIf(_filter, plugin);
        AddIf(_postFilter, plugin);
        AddIf(_preScore, plugin);
        if (plugin is IScorePlugin score && weight > 0)
        {
            _score.Add((score, weight));
        }

        AddIf(_reserve, plugin);
        AddIf(_permit, plugin);
        AddIf(_preBind, plugin);
        AddIf(_bind, plugin);
        AddIf(_postBind, plugin);
    }

    private static void AddIf<T>(List<T> list, IPlugin plugin)
    {
        if (plugin is T t)
        {
            list.Add(t);
        }
    }
}
