using Korral.Api.Models.CoreV1;

namespace Korral.Kubelet.Translation;

/// <summary>
/// The objects a container's environment is built from, as the node sees them (the lead implements this with informer
/// listers). Reads are synchronous and local: the resolver runs on every container start.
/// </summary>
public interface IPodConfigSource
{
    /// <summary>The ConfigMap <paramref name="namespace"/>/<paramref name="name"/>, or null when it does not exist.</summary>
    ConfigMap? GetConfigMap(string @namespace, string name);

    /// <summary>The Secret <paramref name="namespace"/>/<paramref name="name"/>, or null when it does not exist.</summary>
    Secret? GetSecret(string @namespace, string name);

    /// <summary>
    /// The Services of one namespace. The resolver asks for the pod's namespace (service links) and for "default"
    /// (the master service "kubernetes", whose variables every pod gets).
    /// </summary>
    IReadOnlyList<Service> ListServices(string @namespace);
}
