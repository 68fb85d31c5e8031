using Korral.Api.Models.CoreV1;

namespace Korral.Controllers.NodeLifecycle;

/// <summary>The outcome of one health check of a node.</summary>
/// <param name="Node">The node as stored after the check (the cached one, or the one the controller just wrote).</param>
/// <param name="Observed">The Ready condition the check started from (a stand-in Unknown one when the kubelet never posted one).</param>
/// <param name="Current">The Ready condition after the check (null when the kubelet never posted one and the node is still in its grace period).</param>
/// <param name="Deadline">When the node goes stale if no heartbeat comes: the last heartbeat seen plus its grace period.</param>
/// <param name="Expired">Whether that deadline has passed.</param>
public sealed record HealthCheck(Node Node, NodeCondition Observed, NodeCondition? Current, DateTimeOffset Deadline, bool Expired);
