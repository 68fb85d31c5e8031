using System.Collections.Concurrent;
using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Volumes;

namespace Korral.Kubelet.Tests.Volumes;

/// <summary>API objects in memory; TokenRequest answers with <see cref="IssueToken"/> (null: not served).</summary>
public sealed class FakeVolumeSource : IVolumeSource
{
    public ConcurrentDictionary<string, ConfigMap> ConfigMaps { get; } = new();

    public ConcurrentDictionary<string, Secret> Secrets { get; } = new();

    public ConcurrentDictionary<string, PersistentVolumeClaim> Claims { get; } = new();

    public ConcurrentDictionary<string, PersistentVolume> Volumes { get; } = new();

    public List<(string Namespace, string Account, IReadOnlyList<string> Audiences, long Expiration, string PodName, string PodUid)> TokenRequests { get; } = [];

    public Func<int, string?> IssueToken { get; set; } = _ => null;

    public Task<ConfigMap?> GetConfigMapAsync(string @namespace, string name, CancellationToken cancellationToken) =>
        Task.FromResult(ConfigMaps.GetValueOrDefault($"{@namespace}/{name}"));

    public Task<Secret?> GetSecretAsync(string @namespace, string name, CancellationToken cancellationToken) =>
        Task.FromResult(Secrets.GetValueOrDefault($"{@namespace}/{name}"));

    public Task<PersistentVolumeClaim?> GetClaimAsync(string @namespace, string name, CancellationToken cancellationToken) =>
        Task.FromResult(Claims.GetValueOrDefault($"{@namespace}/{name}"));

    public Task<PersistentVolume?> GetVolumeAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(Volumes.GetValueOrDefault(name));

    public Task<string?> RequestServiceAccountTokenAsync(string @namespace, string serviceAccount, IReadOnlyList<string> audiences,
        long expirationSeconds, string podName, string podUid, CancellationToken cancellationToken)
    {
        lock (TokenRequests)
        {
            TokenRequests.Add((@namespace, serviceAccount, audiences, expirationSeconds, podName, podUid));
            return Task.FromResult(IssueToken(TokenRequests.Count));
        }
    }
}
