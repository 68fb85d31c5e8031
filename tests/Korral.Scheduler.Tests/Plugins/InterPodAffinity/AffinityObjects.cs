using Korral.Api.Models.CoreV1;
using Korral.Client.Informers;
using Korral.Scheduler.Framework;
using MetaLabelSelector = Korral.Api.Models.MetaV1.LabelSelector;
using ObjectMeta = Korral.Api.Models.MetaV1.ObjectMeta;

namespace Korral.Scheduler.Tests.Plugins.InterPodAffinity;

/// <summary>Small builders for nodes, pods and affinity terms; nodes carry a hostname label and optionally a zone.</summary>
internal static class AffinityObjects
{
    public const string Hostname = "kubernetes.io/hostname";
    public const string Zone = "topology.kubernetes.io/zone";

    public static NodeInfo Node(string name, string? zone = null, params PodInfo[] pods)
    {
        var labels = new Dictionary<string, string> { [Hostname] = name };
        if (zone is not null)
        {
            labels[Zone] = zone;
        }

        var info = new NodeInfo(new Node { Metadata = new ObjectMeta { Name = name, Labels = labels } });
        foreach (var pod in pods)
        {
            info.AddPod(pod.WithNodeName(name));
        }

        return info;
    }

    public static PodInfo Pod(string name, string? app = null, string ns = "default", Affinity? affinity = null, Dictionary<string, string>? labels = null)
    {
        labels ??= [];
        if (app is not null)
        {
            labels["app"] = app;
        }

        return PodInfo.From(new Pod
        {
            Metadata = new ObjectMeta { Name = name, Namespace = ns, Uid = $"{ns}-{name}", Labels = labels },
            Spec = new PodSpec { Containers = [new Container { Name = "c" }], Affinity = affinity },
        });
    }

    /// <summary>A term selecting pods by <c>app</c> (null: a term without a label selector, which selects nothing).</summary>
    public static PodAffinityTerm Term(string topologyKey, string? app, IList<string>? namespaces = null, MetaLabelSelector? namespaceSelector = null) => new()
    {
        TopologyKey = topologyKey,
        LabelSelector = app is null ? null : Selector(("app", app)),
        Namespaces = namespaces,
        NamespaceSelector = namespaceSelector,
    };

    public static MetaLabelSelector Selector(params (string Key, string Value)[] labels) =>
        new() { MatchLabels = labels.ToDictionary(l => l.Key, l => l.Value) };

    public static WeightedPodAffinityTerm Weighted(int weight, PodAffinityTerm term) => new() { Weight = weight, PodAffinityTerm = term };

    public static Affinity Affinity(
        PodAffinityTerm[]? required = null,
        PodAffinityTerm[]? anti = null,
        WeightedPodAffinityTerm[]? preferred = null,
        WeightedPodAffinityTerm[]? preferredAnti = null) => new()
    {
        PodAffinity = new PodAffinity { RequiredDuringSchedulingIgnoredDuringExecution = required, PreferredDuringSchedulingIgnoredDuringExecution = preferred },
        PodAntiAffinity = new PodAntiAffinity { RequiredDuringSchedulingIgnoredDuringExecution = anti, PreferredDuringSchedulingIgnoredDuringExecution = preferredAnti },
    };

    public static Lister<Namespace> Namespaces(params (string Name, Dictionary<string, string>? Labels)[] namespaces)
    {
        var indexer = new Indexer<Namespace>();
        foreach (var (name, labels) in namespaces)
        {
            indexer.Upsert(new Namespace { Metadata = new ObjectMeta { Name = name, Labels = labels } });
        }

        return new Lister<Namespace>(indexer);
    }
}
