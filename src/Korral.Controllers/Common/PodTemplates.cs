using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Client;

namespace Korral.Controllers.Common;

/// <summary>Pods made from templates, as workload controllers make them.</summary>
public static class PodTemplates
{
    /// <summary>A pod with the template's labels, annotations, finalizers and spec, and the controller reference.</summary>
    public static Pod NewPod(string ns, PodTemplateSpec template, string generateName, OwnerReference controllerRef)
    {
        var copy = KubeObject.Clone(template);
        return new Pod
        {
            Metadata = new ObjectMeta
            {
                Namespace = ns,
                GenerateName = generateName,
                Labels = copy.Metadata?.Labels is { } l ? new Dictionary<string, string>(l) : null,
                Annotations = copy.Metadata?.Annotations is { } a ? new Dictionary<string, string>(a) : null,
                Finalizers = copy.Metadata?.Finalizers,
                OwnerReferences = [controllerRef],
            },
            Spec = copy.Spec,
        };
    }

    /// <summary>Upstream's pod name prefix: the owner's name and a dash (the server appends 5 random characters).</summary>
    public static string GenerateNamePrefix(string ownerName)
    {
        var prefix = ownerName + "-";
        // Names are at most 63 characters after the 5-character suffix; upstream drops the prefix when it is invalid.
        return prefix.Length > 58 ? prefix[..58] : prefix;
    }
}
