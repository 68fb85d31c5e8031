using System.Collections.Concurrent;
using System.ComponentModel;
using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Volumes.Host;
using Korral.Kubelet.Volumes.Plugins;
using Korral.Kubelet.Volumes.Projection;

namespace Korral.Kubelet.Volumes;

/// <summary>
/// Sets up, refreshes and removes the volumes of the pods on this node, in upstream's layout under the kubelet
/// directory: pods/&lt;uid&gt;/volumes/&lt;plugin&gt;/&lt;volume&gt; (emptyDir, configMap, secret, downwardAPI, projected;
/// secret, downwardAPI and projected on tmpfs), host paths and claims' volumes used where they are, subPath binds in
/// pods/&lt;uid&gt;/volume-subpaths. The pod worker calls <see cref="SetUpAsync"/> before creating a pod's containers,
/// <see cref="MountsFor"/> for each container, <see cref="RefreshAsync"/> periodically and when ConfigMaps or Secrets
/// change, and <see cref="TearDownAsync"/> once the pod's containers are gone. Calls for one pod are serialised.
/// </summary>
public sealed partial class VolumeManager
{
    private readonly VolumeManagerOptions _options;
    private readonly ObjectLookup _objects;
    private readonly ServiceAccountTokens _tokens;
    private readonly VolumePlugin[] _plugins =
    [
        new EmptyDirPlugin(), new ConfigMapPlugin(), new SecretPlugin(), new DownwardApiPlugin(), new ProjectedPlugin(),
        new HostPathPlugin(), new PersistentVolumeClaimPlugin(),
    ];

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _podLocks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, VolumeNodeContext> _nodes = new(StringComparer.Ordinal);

    public VolumeManager(IVolumeSource source, VolumeManagerOptions? options = null)
    {
        _options = options ?? new VolumeManagerOptions();
        _objects = new ObjectLookup(source, _options);
        _tokens = new ServiceAccountTokens(source, _options.Time, _options.Log);
    }

    /// <summary>pods/ under the kubelet directory.</summary>
    public string PodsDirectory => Path.Combine(_options.KubeletDirectory, "pods");

    /// <summary>pods/&lt;uid&gt; under the kubelet directory.</summary>
    public string PodDirectory(string podUid) => Path.Combine(PodsDirectory, podUid);

    /// <summary>
    /// Sets up every volume of the pod (again: it is idempotent, emptyDir content survives) and returns where they are.
    /// </summary>
    /// <exception cref="VolumeSetupException">Some volumes failed; each failure is one FailedMount event.</exception>
    public async Task<PodVolumes> SetUpAsync(Pod pod, VolumeNodeContext node, CancellationToken cancellationToken)
    {
        var uid = UidOf(pod);
        var gate = _podLocks.GetOrAdd(uid, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _nodes[uid] = node;
            var podDirectory = PodDirectory(uid);
            CreatePrivateDirectory(podDirectory);
            CreatePrivateDirectory(Path.Combine(podDirectory, "volumes"));
            var context = Context(pod, node, podDirectory);
            var volumes = new Dictionary<string, PodVolume>(StringComparer.Ordinal);
            var failures = new List<VolumeFailure>();
            foreach (var volume in pod.Spec?.Volumes ?? [])
            {
                var (set, failure) = await SetUpOneAsync(context, volume, cancellationToken).ConfigureAwait(false);
                if (failure is not null)
                {
                    failures.Add(failure);
                }
                else
                {
                    volumes[set!.Name] = set;
                }
            }

            return failures.Count > 0 ? throw new VolumeSetupException(failures) : new PodVolumes(uid, podDirectory, volumes);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Projects configMap, secret, downwardAPI and projected volumes of a set-up pod again where their sources changed
    /// (and renews service account tokens due for it); other volumes and files reached only through subPath are left
    /// as they are, like upstream. Returns the volumes that could not be refreshed (they keep their old content).
    /// </summary>
    public async Task<IReadOnlyList<VolumeFailure>> RefreshAsync(Pod pod, CancellationToken cancellationToken)
    {
        var uid = UidOf(pod);
        var gate = _podLocks.GetOrAdd(uid, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var podDirectory = PodDirectory(uid);
            if (!_nodes.TryGetValue(uid, out var node) || !Directory.Exists(podDirectory))
            {
                return [];
            }

            var context = Context(pod, node, podDirectory);
            var failures = new List<VolumeFailure>();
            foreach (var volume in pod.Spec?.Volumes ?? [])
            {
                if (PluginFor(volume) is { Refreshable: true }
                    && await SetUpOneAsync(context, volume, cancellationToken).ConfigureAwait(false) is { Failure: { } failure })
                {
                    failures.Add(failure);
                }
            }

            return failures;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Unmounts everything under the pod's directory (tmpfs volumes, subPath binds) and removes the directory. Call it
    /// once the pod's containers are removed. Nothing is deleted while anything is still mounted below it.
    /// </summary>
    /// <exception cref="IOException">Something could not be unmounted or removed; try again later.</exception>
    public async Task TearDownAsync(string podUid, CancellationToken cancellationToken)
    {
        var gate = _podLocks.GetOrAdd(podUid, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var podDirectory = PodDirectory(podUid);
            _tokens.Forget(podUid);
            _nodes.TryRemove(podUid, out _);
            if (!Directory.Exists(podDirectory))
            {
                return;
            }

            try
            {
                HostMounts.UnmountAll(podDirectory);
            }
            catch (Win32Exception e)
            {
                throw new IOException($"tearing down the volumes of pod {podUid}: {e.Message}", e);
            }

            Directory.Delete(podDirectory, recursive: true);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Tears down the directories of pods that are not in <paramref name="livePodUids"/> (pods deleted while the agent
    /// was down, or whose tear-down failed). Returns the UIDs removed; failures are logged and retried next time.
    /// </summary>
    public async Task<IReadOnlyList<string>> CleanupOrphansAsync(IReadOnlySet<string> livePodUids, CancellationToken cancellationToken)
    {
        var removed = new List<string>();
        var directories = Directory.Exists(PodsDirectory) ? Directory.EnumerateDirectories(PodsDirectory).ToList() : [];
        foreach (var directory in directories)
        {
            var uid = Path.GetFileName(directory);
            if (livePodUids.Contains(uid))
            {
                continue;
            }

            try
            {
                await TearDownAsync(uid, cancellationToken).ConfigureAwait(false);
                _options.Log($"volumes: removed the directory of orphaned pod {uid}");
                removed.Add(uid);
            }
            catch (IOException e)
            {
                _options.Log($"volumes: cannot remove the directory of orphaned pod {uid}: {e.Message}");
            }
        }

        // Forget the locks of pods that are gone (a lock only just taken for a dead pod may be dropped: harmless).
        foreach (var (uid, gate) in _podLocks)
        {
            if (!livePodUids.Contains(uid) && gate.CurrentCount == 1)
            {
                _podLocks.TryRemove(uid, out _);
            }
        }

        return removed;
    }

    private VolumeSetupContext Context(Pod pod, VolumeNodeContext node, string podDirectory) =>
        new(pod, podDirectory, node, _objects, _tokens, _options.Time, _options.Log);

    private VolumePlugin? PluginFor(Volume volume) => _plugins.FirstOrDefault(p => p.Handles(volume));

    private async Task<SetUpResult> SetUpOneAsync(VolumeSetupContext context, Volume volume, CancellationToken cancellationToken)
    {
        var name = volume.Name ?? "";
        if (PluginFor(volume) is not { } plugin)
        {
            var type = VolumeTypes.Describe(volume);
            return new SetUpResult(null, VolumeFailure.SetUp(name, type == "unknown"
                ? "the volume sets no source Korral knows (an image or other newer volume type?)"
                : $"volume type {type} is not supported by Korral"));
        }

        try
        {
            return new SetUpResult(await plugin.SetUpAsync(context, volume, cancellationToken).ConfigureAwait(false), null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (e is not VolumeSetupError)
            {
                _options.Log($"volumes: setting up volume {name} of pod {context.Namespace}/{context.PodName}: {e}");
            }

            return new SetUpResult(null, VolumeFailure.SetUp(name, e.Message));
        }
    }

    private static string UidOf(Pod pod) =>
        pod.Metadata?.Uid is { Length: > 0 } uid ? uid : throw new ArgumentException("the pod has no metadata.uid", nameof(pod));

    private static void CreatePrivateDirectory(string path)
    {
        if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(path);
            UnixModes.Set(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        }
    }

    private sealed record SetUpResult(PodVolume? Volume, VolumeFailure? Failure);
}
