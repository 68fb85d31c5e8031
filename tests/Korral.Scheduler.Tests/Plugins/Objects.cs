using Korral.Api.Models;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Scheduler.Framework;

namespace Korral.Scheduler.Tests.Plugins;

/// <summary>Pods, nodes and node infos for plugin tests, built directly (no server, no cache).</summary>
internal static class Objects
{
    public static Pod Pod(string name = "p", Action<PodSpec>? spec = null, string ns = "default")
    {
        var pod = new Pod
        {
            Metadata = new ObjectMeta { Name = name, Namespace = ns, Uid = "uid-" + name },
            Spec = new PodSpec { Containers = [new Container { Name = "c" }] },
        };
        spec?.Invoke(pod.Spec);
        return pod;
    }

    public static PodInfo PodInfo(string name = "p", Action<PodSpec>? spec = null) => Scheduler.Framework.PodInfo.From(Pod(name, spec));

    /// <summary>A pod whose one container requests the given resources (<c>("cpu", "500m")</c>).</summary>
    public static PodInfo PodRequesting(string name, params (string Name, string Value)[] requests) =>
        PodInfo(name, s => s.Containers = [Container(requests)]);

    public static Container Container(params (string Name, string Value)[] requests) => new()
    {
        Name = "c",
        Resources = new ResourceRequirements { Requests = requests.ToDictionary(r => r.Name, r => Quantity.Parse(r.Value)) },
    };

    public static Node Node(
        string name,
        IDictionary<string, string>? labels = null,
        IList<Taint>? taints = null,
        bool unschedulable = false,
        params (string Name, string Value)[] allocatable)
    {
        var list = new Dictionary<string, Quantity>
        {
            ["cpu"] = Quantity.Parse("4"),
            ["memory"] = Quantity.Parse("8Gi"),
            ["pods"] = Quantity.Parse("110"),
        };
        foreach (var (resource, value) in allocatable)
        {
            list[resource] = Quantity.Parse(value);
        }

        return new Node
        {
            Metadata = new ObjectMeta { Name = name, Labels = labels },
            Spec = new NodeSpec { Taints = taints, Unschedulable = unschedulable },
            Status = new NodeStatus { Allocatable = list },
        };
    }

    public static NodeInfo NodeInfo(Node node, params PodInfo[] pods)
    {
        var info = new NodeInfo(node);
        foreach (var pod in pods)
        {
            info.AddPod(pod.WithNodeName(info.Name));
        }

        return info;
    }

    public static NodeInfo NodeInfo(string name, params (string Name, string Value)[] allocatable) => NodeInfo(Node(name, allocatable: allocatable));

    public static Taint Taint(string key, string value, string effect) => new() { Key = key, Value = value, Effect = effect };

    public static Toleration Toleration(string? key, string? op, string? value, string? effect) => new() { Key = key, Operator = op, Value = value, Effect = effect };

    public static Dictionary<string, string> Labels(params (string Key, string Value)[] labels) => labels.ToDictionary(l => l.Key, l => l.Value);

    /// <summary>Runs Score over every node then NormalizeScore, as the framework does, and returns name → score.</summary>
    public static Dictionary<string, long> ScoreAll(IScorePlugin plugin, CycleState state, PodInfo pod, IReadOnlyList<NodeInfo> nodes)
    {
        var scores = new NodeScore[nodes.Count];
        for (var i = 0; i < nodes.Count; i++)
        {
            var (score, status) = plugin.Score(state, pod, nodes[i]);
            Assert.True(status.IsSuccess, status.ToString());
            scores[i] = new NodeScore(nodes[i].Name, score);
        }

        Assert.True(plugin.NormalizeScore(state, pod, scores).IsSuccess);
        return scores.ToDictionary(s => s.Name, s => s.Score);
    }
}
