using Korral.Api.Models.AppsV1;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.MetaV1;
using Korral.Client.Informers;
using Korral.Scheduler.Framework;
using Korral.Scheduler.Plugins.PodTopologySpread;

namespace Korral.Scheduler.Tests.Plugins.PodTopologySpread;

/// <summary>Small builders for nodes, pods and spread constraints; nodes carry a hostname label and optionally a zone.</summary>
internal static class SpreadObjects
{
    public const string Hostname = "kubernetes.io/hostname";
    public const string Zone = "topology.kubernetes.io/zone";

    public static NodeInfo Node(string name, string? zone = null, Dictionary<string, string>? labels = null, Taint[]? taints = null, params PodInfo[] pods)
    {
        labels = labels is null ? [] : new Dictionary<string, string>(labels);
        labels[Hostname] = name;
        if (zone is not null)
        {
            labels[Zone] = zone;
        }

        var info = new NodeInfo(new Node { Metadata = new ObjectMeta { Name = name, Labels = labels }, Spec = new NodeSpec { Taints = taints } });
        foreach (var pod in pods)
        {
            info.AddPod(pod.WithNodeName(name));
        }

        return info;
    }

    /// <summary>A node in a zone with pods: <c>N("n1", "z1", Web(), Web())</c>.</summary>
    public static NodeInfo N(string name, string? zone, params PodInfo[] pods) => Node(name, zone, pods: pods);

    /// <summary>A pod labelled app=web (another app with <paramref name="app"/>).</summary>
    public static PodInfo Web(string app = "web", string ns = "default", Dictionary<string, string>? labels = null, bool terminating = false)
    {
        labels = labels is null ? [] : new Dictionary<string, string>(labels);
        labels["app"] = app;
        var id = Guid.NewGuid().ToString("N")[..8];
        return PodInfo.From(new Pod
        {
            Metadata = new ObjectMeta
            {
                Name = $"{app}-{id}",
                Namespace = ns,
                Uid = $"uid-{id}",
                Labels = labels,
                DeletionTimestamp = terminating ? DateTimeOffset.UnixEpoch : null,
            },
            Spec = new PodSpec { Containers = [new Container { Name = "c" }] },
        });
    }

    public static PodInfo Pod(
        string app = "web",
        TopologySpreadConstraint[]? constraints = null,
        Dictionary<string, string>? labels = null,
        Dictionary<string, string>? nodeSelector = null,
        Toleration[]? tolerations = null,
        OwnerReference? owner = null)
    {
        labels = labels is null ? [] : new Dictionary<string, string>(labels);
        labels["app"] = app;
        return PodInfo.From(new Pod
        {
            Metadata = new ObjectMeta { Name = "incoming", Namespace = "default", Uid = "incoming", Labels = labels, OwnerReferences = owner is null ? null : [owner] },
            Spec = new PodSpec
            {
                Containers = [new Container { Name = "c" }],
                TopologySpreadConstraints = constraints,
                NodeSelector = nodeSelector,
                Tolerations = tolerations,
            },
        });
    }

    /// <summary>A constraint selecting app=web (<paramref name="selector"/> overrides; pass <c>null</c> via <paramref name="noSelector"/>).</summary>
    public static TopologySpreadConstraint Constraint(
        string key,
        int maxSkew = 1,
        string when = "DoNotSchedule",
        int? minDomains = null,
        string? nodeAffinityPolicy = null,
        string? nodeTaintsPolicy = null,
        LabelSelector? selector = null,
        bool noSelector = false,
        string[]? matchLabelKeys = null) => new()
    {
        TopologyKey = key,
        MaxSkew = maxSkew,
        WhenUnsatisfiable = when,
        MinDomains = minDomains,
        NodeAffinityPolicy = nodeAffinityPolicy,
        NodeTaintsPolicy = nodeTaintsPolicy,
        LabelSelector = noSelector ? null : selector ?? new LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
        MatchLabelKeys = matchLabelKeys,
    };

    public static Taint NoSchedule(string key) => new() { Key = key, Effect = "NoSchedule" };

    public static Lister<T> Lister<T>(params T[] objects)
        where T : class
    {
        var indexer = new Indexer<T>();
        foreach (var obj in objects)
        {
            indexer.Upsert(obj);
        }

        return new Lister<T>(indexer);
    }

    public static SpreadListers Listers(Service[]? services = null, ReplicationController[]? rcs = null, ReplicaSet[]? replicaSets = null, StatefulSet[]? statefulSets = null) =>
        new(Lister(services ?? []), Lister(rcs ?? []), Lister(replicaSets ?? []), Lister(statefulSets ?? []));

    public static ObjectMeta Meta(string name) => new() { Name = name, Namespace = "default" };

    public static OwnerReference ControlledBy(string apiVersion, string kind, string name, bool controller = true) =>
        new() { ApiVersion = apiVersion, Kind = kind, Name = name, Uid = name, Controller = controller };
}
