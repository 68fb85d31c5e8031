namespace Korral.Kubelet.Join;

/// <summary>A join that cannot succeed as asked: the server is not the token's cluster, refused the token, or answered nonsense.</summary>
public sealed class NodeJoinException(string message, Exception? inner = null) : Exception(message, inner);
