namespace Korral.Kubelet.Translation;

/// <summary>One variable of a container's final environment.</summary>
public sealed record ResolvedEnvVar(string Name, string Value);
