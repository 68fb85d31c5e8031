using Korral.Api.Models.CoreV1;

namespace Korral.Controllers.NodeLifecycle;

/// <summary>
/// What the controller last saw of a node's health, with the local times at which it saw it change (upstream's
/// nodeHealthData): the node's own timestamps are never compared with this clock, so clock skew between a kubelet and
/// the controller does not matter.
/// </summary>
/// <param name="ProbeTimestamp">When the controller last saw a fresh heartbeat (Lease renewal or Ready heartbeat).</param>
/// <param name="ReadyTransitionTimestamp">When the controller last saw the Ready condition change.</param>
/// <param name="Status">The node status last seen (or written).</param>
/// <param name="HasLease">Whether a Lease was seen for the node.</param>
/// <param name="LeaseRenewTime">The renewTime of that Lease.</param>
public sealed record NodeHealth(DateTimeOffset ProbeTimestamp, DateTimeOffset ReadyTransitionTimestamp, NodeStatus? Status, bool HasLease = false,
    DateTimeOffset? LeaseRenewTime = null);
