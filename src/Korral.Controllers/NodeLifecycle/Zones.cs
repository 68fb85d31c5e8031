using Korral.Api.Models.CoreV1;

namespace Korral.Controllers.NodeLifecycle;

/// <summary>Zone keys and zone states (upstream's GetZoneKey and ComputeZoneState).</summary>
public static class Zones
{
    /// <summary>Nodes with this label are left out of zone health (upstream's node.kubernetes.io/exclude-disruption).</summary>
    public const string ExcludeDisruptionLabel = "node.kubernetes.io/exclude-disruption";

    /// <summary>
    /// "region:\0:zone" from the topology labels (the stable ones, else the deprecated failure-domain ones); "" when the
    /// node has neither, so every unlabelled node shares one zone.
    /// </summary>
    public static string KeyOf(Node node)
    {
        var labels = node.Metadata?.Labels;
        if (labels is null)
        {
            return "";
        }

        string Label(string stable, string deprecated) =>
            labels.TryGetValue(stable, out var v) ? v : labels.TryGetValue(deprecated, out var d) ? d : "";
        var region = Label("topology.kubernetes.io/region", "failure-domain.beta.kubernetes.io/region");
        var zone = Label("topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/zone");
        return region.Length == 0 && zone.Length == 0 ? "" : $"{region}:\0:{zone}";
    }

    public static bool IsExcluded(Node node) => node.Metadata?.Labels?.ContainsKey(ExcludeDisruptionLabel) == true;

    /// <summary>
    /// No Ready node → full disruption; more than two not Ready making at least <paramref name="unhealthyThreshold"/> of
    /// the zone → partial disruption; otherwise normal. Nodes without a Ready condition count as not Ready.
    /// </summary>
    public static ZoneState Compute(int ready, int notReady, double unhealthyThreshold)
    {
        if (ready == 0 && notReady > 0)
        {
            return ZoneState.FullDisruption;
        }

        if (notReady > 2 && (double)notReady / (notReady + ready) >= unhealthyThreshold)
        {
            return ZoneState.PartialDisruption;
        }

        return ZoneState.Normal;
    }
}
