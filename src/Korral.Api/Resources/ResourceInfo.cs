using Korral.Api.Schema;

namespace Korral.Api.Resources;

/// <summary>
/// Everything the server and discovery need to know about one served resource, e.g. deployments.apps/v1.
/// </summary>
public sealed record ResourceInfo
{
    public required string Group { get; init; }

    public required string Version { get; init; }

    /// <summary>The plural resource name used in URLs, e.g. "deployments".</summary>
    public required string Plural { get; init; }

    /// <summary>The singular name, e.g. "deployment".</summary>
    public required string Singular { get; init; }

    /// <summary>The kind of the objects, e.g. "Deployment".</summary>
    public required string Kind { get; init; }

    /// <summary>The list kind, e.g. "DeploymentList".</summary>
    public string ListKind => Kind + "List";

    public required bool Namespaced { get; init; }

    public IReadOnlyList<string> ShortNames { get; init; } = [];

    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>Verbs advertised in discovery.</summary>
    public IReadOnlyList<string> Verbs { get; init; } = StandardVerbs;

    /// <summary>Subresources such as "status", "scale", "binding", "log", "exec", "portforward".</summary>
    public IReadOnlyList<SubresourceInfo> Subresources { get; init; } = [];

    /// <summary>The OpenAPI definition name of the object, e.g. "io.k8s.api.apps.v1.Deployment".</summary>
    public required string SchemaName { get; init; }

    /// <summary>
    /// The store key prefix, e.g. "/registry/deployments/" or "/registry/pods/": resources of groups are kept under
    /// their plural only, as upstream does for built-in kinds, so an etcd used by Korral looks familiar.
    /// Empty for virtual resources that are never stored (bindings, tokenreviews, subjectaccessreviews…).
    /// Two served versions of one resource share a prefix (horizontalpodautoscalers in autoscaling/v1 and v2),
    /// as do core and events.k8s.io events.
    /// </summary>
    public string StoragePrefix { get; init; } = "";

    /// <summary>Whether objects of this resource are kept in the store (see <see cref="StoragePrefix"/>).</summary>
    public bool IsStored => StoragePrefix.Length > 0;

    /// <summary>"v1" for the core group, "apps/v1" otherwise.</summary>
    public string GroupVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public GroupVersionKind GroupVersionKind => new(Group, Version, Kind);

    /// <summary>"deployments.apps" or "pods": how error messages name the resource.</summary>
    public string QualifiedName => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    /// <summary>Whether objects of this resource carry a status that only the status subresource may change.</summary>
    public bool HasStatus => Subresources.Any(s => s.Name == "status");

    /// <summary>Whether discovery advertises <paramref name="verb"/> ("get", "list", "create"…) for this resource.</summary>
    public bool Supports(string verb) => Verbs.Contains(verb);

    /// <summary>The subresource with this name ("status", "scale", "log"…), or null.</summary>
    public SubresourceInfo? FindSubresource(string name) => Subresources.FirstOrDefault(s => s.Name == name);

    public static readonly IReadOnlyList<string> StandardVerbs =
        ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
}

/// <summary>A subresource such as deployments/scale; its response kind may live in another group (autoscaling/v1 Scale).</summary>
public sealed record SubresourceInfo(string Name, GroupVersionKind ResponseKind, IReadOnlyList<string> Verbs);
