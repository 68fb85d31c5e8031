using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;

namespace Korral.Controllers.Common;

/// <summary>How workload controllers create, delete and patch pods (a seam so that tests can count calls).</summary>
public interface IPodControl
{
    /// <summary>Creates a pod from <paramref name="template"/> named <c>generateName</c> + random suffix, owned by <paramref name="controllerRef"/>.</summary>
    Task<Pod> CreatePodAsync(string ns, PodTemplateSpec template, string generateName, OwnerReference controllerRef, CancellationToken cancellationToken);

    Task DeletePodAsync(string ns, string name, CancellationToken cancellationToken);

    /// <summary>Applies a strategic merge patch (adoption and release change metadata.ownerReferences).</summary>
    Task PatchPodAsync(string ns, string name, string strategicMergePatch, CancellationToken cancellationToken);
}
