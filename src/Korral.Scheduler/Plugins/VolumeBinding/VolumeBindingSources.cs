using Korral.Api.Models.CoreV1;
using Korral.Api.Models.StorageV1;
using Korral.Client.Informers;

namespace Korral.Scheduler.Plugins.VolumeBinding;

/// <summary>The informer caches the plugin reads (tests pass indexers they seed themselves).</summary>
internal sealed record VolumeBindingSources(
    Indexer<PersistentVolumeClaim> Claims,
    Indexer<PersistentVolume> Volumes,
    Indexer<StorageClass> Classes,
    Indexer<Node> Nodes);
