namespace Korral.Scheduler.Plugins.InterPodAffinity;

/// <summary>A topology domain: a node label key and its value (<c>topology.kubernetes.io/zone=a</c>).</summary>
internal readonly record struct TopologyPair(string Key, string Value);
