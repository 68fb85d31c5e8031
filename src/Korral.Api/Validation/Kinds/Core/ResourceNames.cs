using Korral.Api.Validation.Rules;

namespace Korral.Api.Validation.Kinds.Core;

/// <summary>Upstream's classification of resource names (cpu, memory, hugepages-2Mi, example.com/gpu …).</summary>
public static class ResourceNames
{
    private static readonly HashSet<string> Standard = new(StringComparer.Ordinal)
    {
        "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory", "requests.ephemeral-storage", "limits.cpu",
        "limits.memory", "limits.ephemeral-storage", "pods", "services", "replicationcontrollers", "resourcequotas", "secrets",
        "configmaps", "persistentvolumeclaims", "storage", "requests.storage", "services.nodeports", "services.loadbalancers",
    };

    private static readonly HashSet<string> Integer = new(StringComparer.Ordinal)
    {
        "pods", "services", "replicationcontrollers", "resourcequotas", "secrets", "configmaps", "persistentvolumeclaims",
        "services.nodeports", "services.loadbalancers",
    };

    public static bool IsHugePage(string name) => name.StartsWith("hugepages-", StringComparison.Ordinal);

    /// <summary>Names without a domain, or in the kubernetes.io domain.</summary>
    public static bool IsNative(string name) => !name.Contains('/') || name.Contains("kubernetes.io/", StringComparison.Ordinal);

    public static bool IsExtended(string name) =>
        !IsNative(name) && !name.StartsWith("requests.", StringComparison.Ordinal) && NameRules.QualifiedName("requests." + name).Count == 0;

    /// <summary>Requests may be below limits (all native resources except hugepages).</summary>
    public static bool IsOvercommitAllowed(string name) => IsNative(name) && !IsHugePage(name);

    public static bool IsInteger(string name) => Integer.Contains(name) || IsExtended(name);

    public static bool IsStandard(string name) =>
        Standard.Contains(name) || IsHugePage(name) || name.StartsWith("requests.hugepages-", StringComparison.Ordinal);

    public static bool IsStandardContainer(string name) => name is "cpu" or "memory" or "ephemeral-storage" || IsHugePage(name);
}
