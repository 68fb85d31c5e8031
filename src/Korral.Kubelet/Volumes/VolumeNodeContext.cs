using Korral.Api.Models;

namespace Korral.Kubelet.Volumes;

/// <summary>
/// What volumes need to know about the node: downwardAPI <c>resourceFieldRef</c> items report the node's allocatable
/// cpu, memory and ephemeral-storage for containers without limits, as upstream does.
/// </summary>
/// <param name="NodeName">The node's name.</param>
/// <param name="Allocatable">The node's allocatable resources (status.allocatable).</param>
public sealed record VolumeNodeContext(string NodeName, IReadOnlyDictionary<string, Quantity> Allocatable);
