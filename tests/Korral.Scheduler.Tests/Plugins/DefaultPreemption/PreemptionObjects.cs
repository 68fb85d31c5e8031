using Korral.Api.Models;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Api.Models.PolicyV1;
using Korral.Scheduler.Framework;
using LabelSelector = Korral.Api.Models.MetaV1.LabelSelector;

namespace Korral.Scheduler.Tests.Plugins.DefaultPreemption;

/// <summary>Nodes, pods and budgets for the preemption tests, described by what matters to them.</summary>
internal static class PreemptionObjects
{
    public static readonly DateTimeOffset Epoch = new(2024, 6, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A pod in <c>default</c> with UID <c>&lt;name&gt;-uid</c>, one container requesting <paramref name="cpu"/>.</summary>
    public static PodInfo Pod(string name, int priority, string cpu = "0", Action<Pod>? configure = null)
    {
        var pod = new Pod
        {
            Metadata = new ObjectMeta { Name = name, Namespace = "default", Uid = $"{name}-uid" },
            Spec = new PodSpec
            {
                Priority = priority,
                Containers =
                [
                    new Container
                    {
                        Name = "c",
                        Resources = new ResourceRequirements { Requests = new Dictionary<string, Quantity> { ["cpu"] = Quantity.Parse(cpu) } },
                    },
                ],
            },
            Status = new PodStatus(),
        };
        configure?.Invoke(pod);
        return PodInfo.From(pod);
    }

    /// <summary>A node with <paramref name="cpu"/> allocatable (and room for 110 pods) running <paramref name="pods"/>.</summary>
    public static NodeInfo Node(string name, string cpu, params PodInfo[] pods) => Node(name, cpu, null, pods);

    public static NodeInfo Node(string name, string cpu, IDictionary<string, string>? labels, params PodInfo[] pods)
    {
        var info = new NodeInfo(new Node
        {
            Metadata = new ObjectMeta { Name = name, Labels = labels },
            Status = new NodeStatus
            {
                Allocatable = new Dictionary<string, Quantity> { ["cpu"] = Quantity.Parse(cpu), ["pods"] = Quantity.Parse("110") },
            },
        });
        foreach (var pod in pods)
        {
            info.AddPod(pod.WithNodeName(name));
        }

        return info;
    }

    public static Action<Pod> StartedAt(int minutes) => p => p.Status!.StartTime = Epoch.AddMinutes(minutes);

    public static Action<Pod> Labelled(string key, string value) => p => p.Metadata!.Labels = new Dictionary<string, string> { [key] = value };

    /// <summary>Deleted, and marked by the scheduler's preemption when <paramref name="byPreemption"/>.</summary>
    public static Action<Pod> Terminating(bool byPreemption) => p =>
    {
        p.Metadata!.DeletionTimestamp = Epoch;
        if (byPreemption)
        {
            p.Status!.Conditions = [new PodCondition { Type = "DisruptionTarget", Status = "True", Reason = "PreemptionByScheduler" }];
        }
    };

    public static PodDisruptionBudget Budget(string name, string app, int disruptionsAllowed, string ns = "default", params string[] disruptedPods) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns },
        Spec = new PodDisruptionBudgetSpec { Selector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = app } } },
        Status = new PodDisruptionBudgetStatus
        {
            DisruptionsAllowed = disruptionsAllowed,
            DisruptedPods = disruptedPods.ToDictionary(p => p, _ => Epoch),
        },
    };
}
