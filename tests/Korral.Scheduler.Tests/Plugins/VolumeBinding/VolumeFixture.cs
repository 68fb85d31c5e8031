using Korral.Client.Tests.Fixtures;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.StorageV1;
using Korral.Client;
using Korral.Client.Informers;
using Korral.Scheduler.Framework;
using Korral.Scheduler.Plugins.VolumeBinding;

namespace Korral.Scheduler.Tests.Plugins.VolumeBinding;

/// <summary>
/// The plugin over indexers the test seeds (as informers would fill them), a <see cref="FakeVolumeApi"/> and fake time,
/// with helpers that run the plugin's extension points the way the framework does.
/// </summary>
internal sealed class VolumeFixture
{
    private long _version;

    public VolumeFixture(VolumeBindingArgs? args = null)
    {
        Api = new FakeVolumeApi(Volumes, Claims, () => Interlocked.Increment(ref _version));
        Plugin = new VolumeBindingPlugin(new VolumeBindingSources(Claims, Volumes, Classes, Nodes), Api, Time, Log.Add, args ?? VolumeBindingArgs.Default);
    }

    public Indexer<PersistentVolumeClaim> Claims { get; } = new();

    public Indexer<PersistentVolume> Volumes { get; } = new();

    public Indexer<StorageClass> Classes { get; } = new();

    public Indexer<Node> Nodes { get; } = new();

    public FakeVolumeApi Api { get; }

    public FakeTimeProvider Time { get; } = new();

    public List<string> Log { get; } = [];

    public VolumeBindingPlugin Plugin { get; }

    /// <summary>Seeds objects with fresh resourceVersions, as the informer would list them.</summary>
    public VolumeFixture Add(params object[] objects)
    {
        foreach (var obj in objects)
        {
            var version = Interlocked.Increment(ref _version).ToString(System.Globalization.CultureInfo.InvariantCulture);
            switch (obj)
            {
                case PersistentVolumeClaim c:
                    Claims.Upsert(c.With(x => x.Metadata!.ResourceVersion = version));
                    break;
                case PersistentVolume v:
                    Volumes.Upsert(v.With(x => x.Metadata!.ResourceVersion = version));
                    break;
                case StorageClass s:
                    Classes.Upsert(s.With(x => x.Metadata!.ResourceVersion = version));
                    break;
                case Node n:
                    Nodes.Upsert(n.With(x => x.Metadata!.ResourceVersion = version));
                    break;
                default:
                    throw new ArgumentException($"cannot seed {obj.GetType().Name}");
            }
        }

        // As the informer handlers do on every volume or claim event.
        Plugin.Binder.Changes.Pulse();
        return this;
    }

    public (CycleState State, Status Status) PreFilter(Pod pod)
    {
        var state = new CycleState();
        var (_, status) = Plugin.PreFilter(state, PodInfo.From(pod), new Snapshot());
        return (state, status);
    }

    /// <summary>Filter on every seeded node, by name.</summary>
    public SortedDictionary<string, Status> Filter(CycleState state, Pod pod)
    {
        var info = PodInfo.From(pod);
        var result = new SortedDictionary<string, Status>(StringComparer.Ordinal);
        foreach (var node in Nodes.List())
        {
            result[node.Metadata!.Name!] = Plugin.Filter(state, info, new NodeInfo(node));
        }

        return result;
    }

    /// <summary>One scheduling cycle up to Reserve on <paramref name="nodeName"/> (which must pass Filter).</summary>
    public CycleState Reserve(Pod pod, string nodeName)
    {
        var (state, preFilter) = PreFilter(pod);
        Assert.True(preFilter.IsSuccess || preFilter.IsSkip, preFilter.ToString());
        if (preFilter.IsSuccess)
        {
            var filter = Filter(state, pod)[nodeName];
            Assert.True(filter.IsSuccess, filter.ToString());
        }

        var reserve = Plugin.Reserve(state, PodInfo.From(pod), nodeName);
        Assert.True(reserve.IsSuccess, reserve.ToString());
        return state;
    }

    /// <summary>The volume Reserve chose for <paramref name="claim"/> on <paramref name="nodeName"/>.</summary>
    public static string? ChosenVolume(CycleState state, string nodeName, string claim) =>
        state.Read<VolumeBindingState>(VolumeBindingPlugin.PluginName)!.ByNode[nodeName].StaticBindings
            .SingleOrDefault(b => b.Claim.Metadata!.Name == claim)?.Volume.Metadata!.Name;

    public PersistentVolume Volume(string name) => Volumes.Get(name)!;

    public PersistentVolumeClaim Claim(string name) => Claims.Get(Objects.Ns, name)!;

    public Task<Status> PreBindAsync(CycleState state, Pod pod, string nodeName) =>
        Plugin.PreBindAsync(state, PodInfo.From(pod).WithNodeName(nodeName), nodeName, CancellationToken.None);

    /// <summary>Replaces a stored object with a changed copy under a new resourceVersion (another writer, or a controller).</summary>
    public void Change<T>(T current, Action<T> change)
        where T : class => Add(current.With(change));

    public static string Key<T>(T obj)
        where T : class => KubeObject.Key(obj);
}
