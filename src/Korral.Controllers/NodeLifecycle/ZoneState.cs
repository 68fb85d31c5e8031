namespace Korral.Controllers.NodeLifecycle;

/// <summary>How healthy a zone's nodes are, which sets how fast its nodes get NoExecute taints (upstream's zone states).</summary>
public enum ZoneState
{
    /// <summary>Seen for the first time; becomes one of the others at the next evaluation.</summary>
    Initial,

    /// <summary>Some nodes may be not Ready: taint at --node-eviction-rate.</summary>
    Normal,

    /// <summary>No node of the zone is Ready.</summary>
    FullDisruption,

    /// <summary>More than two nodes and at least --unhealthy-zone-threshold of them are not Ready.</summary>
    PartialDisruption,
}
