using Korral.Api.Models.CoreV1;

namespace Korral.Kubelet.Volumes;

/// <summary>
/// Where the volume manager gets the API objects volumes are made from. The node agent implements it with informer
/// listers and API calls; tests use an in-memory fake. Lookups return null when the object does not exist (NotFound);
/// other failures throw and fail the volume's set-up with the exception's message.
/// </summary>
public interface IVolumeSource
{
    Task<ConfigMap?> GetConfigMapAsync(string @namespace, string name, CancellationToken cancellationToken);

    Task<Secret?> GetSecretAsync(string @namespace, string name, CancellationToken cancellationToken);

    Task<PersistentVolumeClaim?> GetClaimAsync(string @namespace, string name, CancellationToken cancellationToken);

    Task<PersistentVolume?> GetVolumeAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// A TokenRequest (serviceaccounts/token) for the pod's account, bound to the pod. Returns the token, or null when
    /// the API server does not serve TokenRequest: the volume is then set up without the token file.
    /// </summary>
    /// <param name="audiences">Requested audiences; empty for the API server's default audiences.</param>
    Task<string?> RequestServiceAccountTokenAsync(string @namespace, string serviceAccount, IReadOnlyList<string> audiences,
        long expirationSeconds, string podName, string podUid, CancellationToken cancellationToken);
}
