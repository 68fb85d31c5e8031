using Korral.Api.Models.CoreV1;
using Korral.Client;
using Korral.Client.Informers;
using Korral.Kubelet.Translation;
using Korral.Kubelet.Volumes;

namespace Korral.Kubelet.Hosting;

/// <summary>
/// The API objects pods are built from, for the environment (ConfigMaps, Secrets, Services from informer caches) and
/// the volumes (the same caches; claims and persistent volumes fetched when a pod mounts one). TokenRequest is not
/// served by Korral's API server yet: token requests answer null (the projected token file is left out).
/// </summary>
public sealed class ClusterObjectSource : IPodConfigSource, IVolumeSource
{
    private readonly KubeClient _client;
    private readonly SharedInformer<ConfigMap> _configMaps;
    private readonly SharedInformer<Secret> _secrets;
    private readonly SharedInformer<Service> _services;

    public ClusterObjectSource(KubeClient client, SharedInformerFactory informers)
    {
        _client = client;
        _configMaps = informers.Informer<ConfigMap>();
        _secrets = informers.Informer<Secret>();
        _services = informers.Informer<Service>();
    }

    public ConfigMap? GetConfigMap(string @namespace, string name) => _configMaps.Lister.Get($"{@namespace}/{name}");

    public Secret? GetSecret(string @namespace, string name) => _secrets.Lister.Get($"{@namespace}/{name}");

    public IReadOnlyList<Service> ListServices(string @namespace) =>
        [.. _services.Indexer.ByIndex(Indexers.Namespace, @namespace)];

    public Task<ConfigMap?> GetConfigMapAsync(string @namespace, string name, CancellationToken cancellationToken) =>
        Task.FromResult(GetConfigMap(@namespace, name));

    public Task<Secret?> GetSecretAsync(string @namespace, string name, CancellationToken cancellationToken) =>
        Task.FromResult(GetSecret(@namespace, name));

    public async Task<PersistentVolumeClaim?> GetClaimAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.Resource<PersistentVolumeClaim>().GetAsync(@namespace, name, cancellationToken);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    public async Task<PersistentVolume?> GetVolumeAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.Resource<PersistentVolume>().GetAsync(null, name, cancellationToken);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    public Task<string?> RequestServiceAccountTokenAsync(string @namespace, string serviceAccount, IReadOnlyList<string> audiences, long expirationSeconds,
        string podName, string podUid, CancellationToken cancellationToken) => Task.FromResult<string?>(null);
}
