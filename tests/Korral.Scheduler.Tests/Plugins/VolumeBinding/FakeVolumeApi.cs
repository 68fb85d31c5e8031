using Korral.Api.Models.CoreV1;
using Korral.Client;
using Korral.Client.Informers;
using Korral.Scheduler.Plugins.VolumeBinding;
using ApiStatus = Korral.Api.Models.MetaV1.Status;

namespace Korral.Scheduler.Tests.Plugins.VolumeBinding;

/// <summary>
/// An API server over the test's indexers: writes check the resourceVersion (409 when stale), keep the other half of the
/// object (spec on status writes, status on spec writes), bump the version and land in the indexer at once, as if the
/// informer delivered them immediately. Every write is recorded as "verb kind/key".
/// </summary>
internal sealed class FakeVolumeApi(Indexer<PersistentVolume> volumes, Indexer<PersistentVolumeClaim> claims, Func<long> nextVersion) : IVolumeBindingApi
{
    private readonly HashSet<string> _conflictOnce = [];

    public List<string> Writes { get; } = [];

    /// <summary>The next write of this "kind/key" (e.g. "pvc/default/data") fails with a conflict.</summary>
    public void ConflictOnce(string target) => _conflictOnce.Add(target);

    public Task<PersistentVolume> GetVolumeAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(KubeObject.Clone(volumes.Get(name) ?? throw NotFound($"persistentvolumes \"{name}\" not found")));

    public Task<PersistentVolume> UpdateVolumeAsync(PersistentVolume volume, CancellationToken cancellationToken) =>
        Write(volumes, "update", "pv", volume, (stored, written) => written.Status = stored.Status);

    public Task<PersistentVolume> UpdateVolumeStatusAsync(PersistentVolume volume, CancellationToken cancellationToken) =>
        Write(volumes, "status", "pv", volume, (stored, written) => (written.Spec, written.Metadata!.Annotations) = (stored.Spec, stored.Metadata?.Annotations));

    public Task<PersistentVolumeClaim> GetClaimAsync(string ns, string name, CancellationToken cancellationToken) =>
        Task.FromResult(KubeObject.Clone(claims.Get(ns, name) ?? throw NotFound($"persistentvolumeclaims \"{name}\" not found")));

    public Task<PersistentVolumeClaim> UpdateClaimAsync(PersistentVolumeClaim claim, CancellationToken cancellationToken) =>
        Write(claims, "update", "pvc", claim, (stored, written) => written.Status = stored.Status);

    public Task<PersistentVolumeClaim> UpdateClaimStatusAsync(PersistentVolumeClaim claim, CancellationToken cancellationToken) =>
        Write(claims, "status", "pvc", claim, (stored, written) => (written.Spec, written.Metadata!.Annotations) = (stored.Spec, stored.Metadata?.Annotations));

    private Task<T> Write<T>(Indexer<T> store, string verb, string kind, T obj, Action<T, T> keepOtherHalf)
        where T : class
    {
        var key = KubeObject.Key(obj);
        Writes.Add($"{verb} {kind}/{key}");
        var stored = store.Get(key) ?? throw NotFound($"\"{key}\" not found");
        if (_conflictOnce.Remove($"{kind}/{key}") || KubeObject.ResourceVersion(stored) != KubeObject.ResourceVersion(obj))
        {
            throw new KubeApiException(new ApiStatus
            {
                Code = 409,
                Reason = "Conflict",
                Message = $"Operation cannot be fulfilled on {kind} \"{key}\": the object has been modified; please apply your changes to the latest version and try again",
            });
        }

        var written = KubeObject.Clone(obj);
        keepOtherHalf(stored, written);
        KubeModel<T>.Metadata(written)!.ResourceVersion = nextVersion().ToString(System.Globalization.CultureInfo.InvariantCulture);
        store.Upsert(written);
        return Task.FromResult(KubeObject.Clone(written));
    }

    private static KubeApiException NotFound(string message) => new(new ApiStatus { Code = 404, Reason = "NotFound", Message = message });
}
