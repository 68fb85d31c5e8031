namespace Korral.Kubelet.Cgroups;

/// <summary>What <see cref="PodCgroups.RemovePod"/> did: the directories removed and, with the reason, those it could not remove.</summary>
public sealed record CgroupRemoval(IReadOnlyList<string> Removed, IReadOnlyList<string> Failed)
{
    public bool Complete => Failed.Count == 0;
}
