using Korral.Api.Models;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Tests.Fixtures;

/// <summary>Small builders for pods and nodes in scheduler unit tests.</summary>
internal static class TestPods
{
    public static Pod Pod(string name, string? cpu = null, string? memory = null, int priority = 0, string ns = "default", string? nodeName = null,
        IDictionary<string, string>? labels = null)
    {
        var requests = new Dictionary<string, Quantity>();
        if (cpu is not null)
        {
            requests["cpu"] = Quantity.Parse(cpu);
        }

        if (memory is not null)
        {
            requests["memory"] = Quantity.Parse(memory);
        }

        return new Pod
        {
            Metadata = new ObjectMeta { Name = name, Namespace = ns, Uid = $"uid-{ns}-{name}", Labels = labels },
            Spec = new PodSpec
            {
                Priority = priority,
                NodeName = nodeName,
                SchedulerName = "default-scheduler",
                Containers = [new Container { Name = "c", Image = "nginx", Resources = new ResourceRequirements { Requests = requests } }],
            },
        };
    }

    public static PodInfo Info(string name, string? cpu = null, string? memory = null, int priority = 0, string? nodeName = null) =>
        PodInfo.From(Pod(name, cpu, memory, priority, nodeName: nodeName));

    public static Node Node(string name, string cpu = "4", string memory = "32Gi", int pods = 110, IDictionary<string, string>? labels = null) => new()
    {
        Metadata = new ObjectMeta { Name = name, Labels = labels ?? new Dictionary<string, string> { ["kubernetes.io/hostname"] = name } },
        Status = new NodeStatus
        {
            Allocatable = new Dictionary<string, Quantity>
            {
                ["cpu"] = Quantity.Parse(cpu),
                ["memory"] = Quantity.Parse(memory),
                ["pods"] = Quantity.Parse(pods.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            },
        },
    };
}
