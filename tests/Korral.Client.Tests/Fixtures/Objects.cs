using Korral.Api.Models.AppsV1;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;

namespace Korral.Client.Tests.Fixtures;

/// <summary>Small valid objects for tests.</summary>
public static class Objects
{
    public static ConfigMap ConfigMap(string ns, string name, Dictionary<string, string>? data = null, Dictionary<string, string>? labels = null) => new()
    {
        Metadata = new ObjectMeta { Namespace = ns, Name = name, Labels = labels },
        Data = data ?? new Dictionary<string, string> { ["k"] = "v" },
    };

    public static Pod Pod(string ns, string name, string? nodeName = null, Dictionary<string, string>? labels = null) => new()
    {
        Metadata = new ObjectMeta { Namespace = ns, Name = name, Labels = labels },
        Spec = new PodSpec
        {
            NodeName = nodeName,
            Containers = [new Container { Name = "c", Image = "busybox" }],
        },
    };

    public static Deployment Deployment(string ns, string name, int replicas = 1) => new()
    {
        Metadata = new ObjectMeta { Namespace = ns, Name = name },
        Spec = new DeploymentSpec
        {
            Replicas = replicas,
            Selector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new PodTemplateSpec
            {
                Metadata = new ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new PodSpec { Containers = [new Container { Name = "c", Image = "busybox" }] },
            },
        },
    };
}
