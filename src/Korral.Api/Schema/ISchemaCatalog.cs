namespace Korral.Api.Schema;

/// <summary>Looks up the API schema definitions that the generator produced from the Kubernetes OpenAPI documents.</summary>
public interface ISchemaCatalog
{
    /// <summary>Every definition, keyed by name ("io.k8s.api.core.v1.Pod").</summary>
    IReadOnlyDictionary<string, TypeSchema> Types { get; }

    /// <summary>The definition whose x-kubernetes-group-version-kind is <paramref name="kind"/>, if any.</summary>
    TypeSchema? FindByKind(GroupVersionKind kind);

    TypeSchema? Find(string name);
}
