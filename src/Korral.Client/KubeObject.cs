using Korral.Api.Models;
using Korral.Api.Models.CoreV1;

namespace Korral.Client;

/// <summary>Helpers over any generated model: keys, resource versions, references, deep copies.</summary>
public static class KubeObject
{
    /// <summary>The cache key "namespace/name", or "name" for cluster-scoped objects (upstream's MetaNamespaceKeyFunc).</summary>
    public static string Key<T>(T obj)
        where T : class
    {
        var meta = KubeModel<T>.Metadata(obj);
        return ObjectKey.Of(meta?.Namespace, meta?.Name ?? "");
    }

    public static string? ResourceVersion<T>(T obj)
        where T : class => KubeModel<T>.Metadata(obj)?.ResourceVersion;

    public static string? Uid<T>(T obj)
        where T : class => KubeModel<T>.Metadata(obj)?.Uid;

    /// <summary>
    /// A deep copy through JSON. Objects from informer caches are shared by every reader: copy before changing one.
    /// </summary>
    public static T Clone<T>(T obj)
        where T : class =>
        KubeJson.Deserialize<T>(KubeJson.SerializeToUtf8Bytes(obj)) ?? throw new InvalidOperationException("clone produced null");

    /// <summary>A reference to the object (kind, apiVersion, namespace, name, uid, resourceVersion), as events use.</summary>
    public static ObjectReference Reference<T>(T obj)
        where T : class
    {
        var meta = KubeModel<T>.Metadata(obj);
        return new ObjectReference
        {
            Kind = KubeModel<T>.Kind,
            ApiVersion = KubeModel<T>.ApiVersion,
            Namespace = string.IsNullOrEmpty(meta?.Namespace) ? null : meta.Namespace,
            Name = meta?.Name,
            Uid = meta?.Uid,
            ResourceVersion = meta?.ResourceVersion,
        };
    }
}
