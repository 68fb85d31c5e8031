namespace Korral.Kubelet.Server;

/// <summary>Who calls the kubelet: the CN and O entries of a client certificate issued by the cluster CA.</summary>
public sealed record KubeletUser(string Name, IReadOnlyList<string> Groups);
