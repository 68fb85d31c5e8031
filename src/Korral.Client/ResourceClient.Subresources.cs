using Korral.Api.Models;
using Korral.Api.Models.AutoscalingV1;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.PolicyV1;

namespace Korral.Client;

public sealed partial class ResourceClient<T>
{
    /// <summary>GET of a subresource whose answer is <typeparamref name="TResult"/> (scale → Scale).</summary>
    public async Task<TResult> GetSubresourceAsync<TResult>(string? ns, string name, string subresource, CancellationToken cancellationToken)
    {
        CheckSubresource(subresource, "get");
        using var response = await Client.SendAsync(HttpMethod.Get, PathOf(CheckNs(ns), name, subresource), null, null, idempotent: true, cancellationToken);
        return await KubeClient.ReadAsync<TResult>(response, cancellationToken);
    }

    /// <summary>PUT of a subresource (scale takes a Scale; status takes the object: see <see cref="UpdateStatusAsync(T, CancellationToken)"/>).</summary>
    public async Task<TResult> UpdateSubresourceAsync<TBody, TResult>(string? ns, string name, string subresource, TBody body, CancellationToken cancellationToken)
    {
        CheckSubresource(subresource, "update");
        using var response = await Client.SendAsync(HttpMethod.Put, PathOf(CheckNs(ns), name, subresource), KubeJson.SerializeToUtf8Bytes(body),
            "application/json", idempotent: true, cancellationToken);
        return await KubeClient.ReadAsync<TResult>(response, cancellationToken);
    }

    /// <summary>POST to a subresource (binding, eviction); the server answers with a Status, which is returned.</summary>
    public async Task<Api.Models.MetaV1.Status> CreateSubresourceAsync<TBody>(string? ns, string name, string subresource, TBody body, CancellationToken cancellationToken)
    {
        CheckSubresource(subresource, "create");
        using var response = await Client.SendAsync(HttpMethod.Post, PathOf(CheckNs(ns), name, subresource), KubeJson.SerializeToUtf8Bytes(body),
            "application/json", idempotent: false, cancellationToken);
        return await KubeClient.ReadAsync<Api.Models.MetaV1.Status>(response, cancellationToken);
    }

    /// <summary>The autoscaling/v1 Scale of a Deployment, ReplicaSet or StatefulSet.</summary>
    public Task<Scale> GetScaleAsync(string? ns, string name, CancellationToken cancellationToken) =>
        GetSubresourceAsync<Scale>(ns, name, "scale", cancellationToken);

    /// <summary>Sets spec.replicas through the scale subresource (with scale.metadata.resourceVersion: optimistic).</summary>
    public Task<Scale> UpdateScaleAsync(string? ns, string name, Scale scale, CancellationToken cancellationToken) =>
        UpdateSubresourceAsync<Scale, Scale>(ns, name, "scale", scale, cancellationToken);

    /// <summary>Binds a pod to a node (pods/binding), as the scheduler does.</summary>
    public Task<Api.Models.MetaV1.Status> BindAsync(string ns, string name, Binding binding, CancellationToken cancellationToken) =>
        CreateSubresourceAsync(ns, name, "binding", binding, cancellationToken);

    /// <summary>Evicts a pod (pods/eviction), honouring PodDisruptionBudgets; 429 when a budget forbids it now.</summary>
    public Task<Api.Models.MetaV1.Status> EvictAsync(string ns, string name, Eviction eviction, CancellationToken cancellationToken) =>
        CreateSubresourceAsync(ns, name, "eviction", eviction, cancellationToken);

    private void CheckSubresource(string subresource, string verb)
    {
        if (Resource.FindSubresource(subresource) is not { } sub || !sub.Verbs.Contains(verb))
        {
            throw new InvalidOperationException($"{Resource.QualifiedName} has no {subresource} subresource that allows {verb}");
        }
    }
}
