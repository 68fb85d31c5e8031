using Korral.Api.Schema;

namespace Korral.Api.Resources;

/// <summary>
/// Every built-in resource Korral serves, with the names, scopes, verbs, subresources and storage prefixes of
/// upstream Kubernetes 1.33. The order is upstream's discovery order: the core group first, then groups by
/// upstream's group priority (apps, events.k8s.io, authentication, authorization, autoscaling, batch, certificates,
/// networking, policy, rbac, storage, admissionregistration, apiextensions, scheduling, coordination, discovery);
/// within a group the preferred version first; within a version resources sorted by name, subresources likewise.
/// That order is what <c>kubectl get all</c> follows.
/// </summary>
/// <remarks>Immutable and shared: use <see cref="Instance"/>.</remarks>
public sealed partial class BuiltinResources : ResourceCatalog
{
    private BuiltinResources()
        : base(Build())
    {
    }

    /// <summary>The shared catalog, built on first use (after every static list below is initialised).</summary>
    public static BuiltinResources Instance => Holder.Value;

    /// <summary>The verbs of resources that cannot be deleted as a collection (namespaces).</summary>
    public static readonly IReadOnlyList<string> NoDeleteCollectionVerbs =
        ["create", "delete", "get", "list", "patch", "update", "watch"];

    /// <summary>Virtual resources that only accept a POST (bindings, token and access reviews).</summary>
    public static readonly IReadOnlyList<string> CreateOnlyVerbs = ["create"];

    /// <summary>Read-only resources (componentstatuses).</summary>
    public static readonly IReadOnlyList<string> ReadOnlyVerbs = ["get", "list"];

    /// <summary>Subresources that read and write part of an object: status, scale, ephemeralcontainers, approval.</summary>
    public static readonly IReadOnlyList<string> GetPatchUpdateVerbs = ["get", "patch", "update"];

    /// <summary>Proxy subresources (pods/proxy, services/proxy, nodes/proxy).</summary>
    public static readonly IReadOnlyList<string> ProxyVerbs = ["create", "delete", "get", "patch", "update"];

    /// <summary>Streaming subresources reached by GET or POST (exec, attach, portforward).</summary>
    public static readonly IReadOnlyList<string> ConnectVerbs = ["create", "get"];

    /// <summary>The category that <c>kubectl get all</c> expands to.</summary>
    public const string AllCategory = "all";

    private const string ApiExtensionsCategory = "api-extensions";

    /// <summary>The autoscaling/v1 Scale kind that every scale subresource answers with.</summary>
    public static readonly GroupVersionKind ScaleKind = new("autoscaling", "v1", "Scale");

    private static ResourceInfo[] Build() =>
    [
        .. Core(),
        .. Apps(),
        .. Events(),
        .. Authentication(),
        .. Authorization(),
        .. Autoscaling(),
        .. Batch(),
        .. Certificates(),
        .. Networking(),
        .. Policy(),
        .. Rbac(),
        .. Storage(),
        .. AdmissionRegistration(),
        .. ApiExtensions(),
        .. Scheduling(),
        .. Coordination(),
        .. Discovery(),
    ];

    private enum Scope
    {
        Namespaced,
        Cluster,
    }

    /// <summary>Builds one entry. <paramref name="storage"/>: null for "/registry/&lt;plural&gt;/", "" for never stored.</summary>
    private static ResourceInfo Resource(
        string group,
        string version,
        string plural,
        string kind,
        Scope scope,
        string schemaName,
        string? storage = null,
        string[]? shortNames = null,
        string[]? categories = null,
        IReadOnlyList<string>? verbs = null,
        SubresourceInfo[]? subresources = null) => new()
        {
            Group = group,
            Version = version,
            Plural = plural,
            Singular = kind.ToLowerInvariant(),
            Kind = kind,
            Namespaced = scope == Scope.Namespaced,
            ShortNames = shortNames ?? [],
            Categories = categories ?? [],
            Verbs = verbs ?? ResourceInfo.StandardVerbs,
            Subresources = subresources ?? [],
            SchemaName = schemaName,
            StoragePrefix = storage ?? $"/registry/{plural}/",
        };

    private static SubresourceInfo Status(string group, string version, string kind) =>
        new("status", new GroupVersionKind(group, version, kind), GetPatchUpdateVerbs);

    private static SubresourceInfo Scale() => new("scale", ScaleKind, GetPatchUpdateVerbs);

    private static class Holder
    {
        internal static readonly BuiltinResources Value = new();
    }
}
