using Korral.Api.Models.CoreV1;

namespace Korral.Client.Informers;

/// <summary>Index functions controllers commonly need, with the names they are registered under.</summary>
public static class Indexers
{
    /// <summary>Every indexer has this index: metadata.namespace ("" for cluster-scoped objects).</summary>
    public const string Namespace = "namespace";

    /// <summary>The uids of metadata.ownerReferences (find the pods of a ReplicaSet, the dependents of an owner).</summary>
    public const string OwnerUid = "ownerUid";

    /// <summary>Every label as "key=value" (find objects by an exact label without a scan).</summary>
    public const string Labels = "labels";

    /// <summary>Pods by spec.nodeName ("" for pods not yet scheduled).</summary>
    public const string NodeName = "spec.nodeName";

    public static IEnumerable<string> ByNamespace<T>(T obj)
        where T : class => [KubeModel<T>.Metadata(obj)?.Namespace ?? ""];

    public static IEnumerable<string> ByOwnerUid<T>(T obj)
        where T : class
    {
        var owners = KubeModel<T>.Metadata(obj)?.OwnerReferences;
        if (owners is null || owners.Count == 0)
        {
            return [];
        }

        var uids = new List<string>(owners.Count);
        foreach (var owner in owners)
        {
            if (!string.IsNullOrEmpty(owner.Uid))
            {
                uids.Add(owner.Uid);
            }
        }

        return uids;
    }

    public static IEnumerable<string> ByLabels<T>(T obj)
        where T : class
    {
        var labels = KubeModel<T>.Metadata(obj)?.Labels;
        return labels is null || labels.Count == 0 ? [] : labels.Select(l => $"{l.Key}={l.Value}").ToList();
    }

    /// <summary>The value of one label ("controller-revision-hash", "app"…); objects without it are not indexed.</summary>
    public static IndexFunc<T> ByLabel<T>(string key)
        where T : class =>
        obj => KubeModel<T>.Metadata(obj)?.Labels is { } labels && labels.TryGetValue(key, out var value) ? [value] : [];

    public static IEnumerable<string> ByNodeName(Pod pod) => [pod.Spec?.NodeName ?? ""];
}
