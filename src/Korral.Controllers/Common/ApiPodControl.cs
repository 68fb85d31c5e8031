using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Client;

namespace Korral.Controllers.Common;

/// <summary>The real <see cref="IPodControl"/>: writes through the API server.</summary>
public sealed class ApiPodControl(KubeClient client) : IPodControl
{
    public Task<Pod> CreatePodAsync(string ns, PodTemplateSpec template, string generateName, OwnerReference controllerRef, CancellationToken cancellationToken) =>
        client.Resource<Pod>().CreateAsync(PodTemplates.NewPod(ns, template, generateName, controllerRef), cancellationToken);

    public async Task DeletePodAsync(string ns, string name, CancellationToken cancellationToken) =>
        await client.Resource<Pod>().DeleteAsync(ns, name, cancellationToken);

    public async Task PatchPodAsync(string ns, string name, string strategicMergePatch, CancellationToken cancellationToken) =>
        await client.Resource<Pod>().PatchAsync(ns, name, PatchType.StrategicMerge, strategicMergePatch, cancellationToken);
}
