using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;

namespace Korral.Kubelet.Volumes.Plugins;

/// <summary>
/// The volume manager's view of <see cref="IVolumeSource"/>, with one Korral-specific stand-in: the
/// <c>kube-root-ca.crt</c> ConfigMap that the root-ca-cert-publisher controller keeps in every namespace. Every
/// kube-api-access volume projects it without being optional; when it is missing (no controller manager running, or a
/// namespace seconds old) the node's cluster CA bundle is projected in its place, or, without one, the reference is
/// treated as optional (no ca.crt file) so that pods run.
/// </summary>
internal sealed class ObjectLookup(IVolumeSource source, VolumeManagerOptions options)
{
    public const string RootCaConfigMap = "kube-root-ca.crt";

    private int _rootCaLogged;

    public IVolumeSource Source => source;

    /// <summary>The ConfigMap, a stand-in for a missing kube-root-ca.crt, or null.</summary>
    public async Task<ConfigMap?> ConfigMapAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        var configMap = await source.GetConfigMapAsync(@namespace, name, cancellationToken).ConfigureAwait(false);
        if (configMap is not null || name != RootCaConfigMap)
        {
            return configMap;
        }

        if (options.ClusterCaBundle is { } bundle)
        {
            LogRootCaOnce($"volumes: ConfigMap {@namespace}/{RootCaConfigMap} does not exist; projecting the node's cluster CA bundle in its place");
            return new ConfigMap
            {
                Metadata = new ObjectMeta { Namespace = @namespace, Name = name },
                Data = new Dictionary<string, string> { ["ca.crt"] = bundle },
            };
        }

        LogRootCaOnce($"volumes: ConfigMap {@namespace}/{RootCaConfigMap} does not exist and no cluster CA bundle is configured; volumes projecting it get no ca.crt");
        return null;
    }

    /// <summary>Whether a missing ConfigMap reference is tolerated although the volume does not say optional.</summary>
    public bool ImplicitlyOptional(string configMapName) => configMapName == RootCaConfigMap && options.ClusterCaBundle is null;

    private void LogRootCaOnce(string message)
    {
        if (Interlocked.Exchange(ref _rootCaLogged, 1) == 0)
        {
            options.Log(message);
        }
    }
}
