using Korral.Api.Models.CoreV1;
using Korral.Kubelet.Translation;

namespace Korral.Kubelet.Tests.Translation;

/// <summary>An in-memory <see cref="IPodConfigSource"/> that counts lookups.</summary>
internal sealed class FakePodConfigSource : IPodConfigSource
{
    public List<ConfigMap> ConfigMaps { get; } = [];

    public List<Secret> Secrets { get; } = [];

    public List<Service> Services { get; } = [];

    public int ConfigMapLookups { get; private set; }

    public ConfigMap? GetConfigMap(string @namespace, string name)
    {
        ConfigMapLookups++;
        return ConfigMaps.FirstOrDefault(c => c.Metadata?.Namespace == @namespace && c.Metadata?.Name == name);
    }

    public Secret? GetSecret(string @namespace, string name) =>
        Secrets.FirstOrDefault(s => s.Metadata?.Namespace == @namespace && s.Metadata?.Name == name);

    public IReadOnlyList<Service> ListServices(string @namespace) =>
        Services.Where(s => s.Metadata?.Namespace == @namespace).ToList();
}
