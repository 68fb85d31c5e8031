using Korral.Api.Models.CoreV1;

namespace Korral.Controllers.NodeLifecycle;

/// <summary>
/// The taints the node lifecycle controller owns (upstream's well-known <c>node.kubernetes.io/*</c> keys) and which node
/// condition each one stands for.
/// </summary>
public static class NodeTaints
{
    public const string NotReady = "node.kubernetes.io/not-ready";
    public const string Unreachable = "node.kubernetes.io/unreachable";
    public const string MemoryPressure = "node.kubernetes.io/memory-pressure";
    public const string DiskPressure = "node.kubernetes.io/disk-pressure";
    public const string PidPressure = "node.kubernetes.io/pid-pressure";
    public const string NetworkUnavailable = "node.kubernetes.io/network-unavailable";
    public const string Unschedulable = "node.kubernetes.io/unschedulable";

    public const string NoSchedule = "NoSchedule";
    public const string NoExecute = "NoExecute";

    /// <summary>The taint key a condition in a given status calls for (Ready False → not-ready, Ready Unknown → unreachable, pressures True…), or null.</summary>
    public static string? ForCondition(string? type, string? status) => (type, status) switch
    {
        ("Ready", "False") => NotReady,
        ("Ready", "Unknown") => Unreachable,
        ("MemoryPressure", "True") => MemoryPressure,
        ("DiskPressure", "True") => DiskPressure,
        ("NetworkUnavailable", "True") => NetworkUnavailable,
        ("PIDPressure", "True") => PidPressure,
        _ => null,
    };

    /// <summary>Whether <paramref name="key"/> is one of the condition taints.</summary>
    public static bool IsConditionKey(string? key) => key is NotReady or Unreachable or MemoryPressure or DiskPressure or NetworkUnavailable or PidPressure;

    /// <summary>The NoSchedule taints the node's conditions and <c>spec.unschedulable</c> call for (without timeAdded).</summary>
    public static List<Taint> DesiredNoSchedule(Node node)
    {
        var taints = new List<Taint>();
        foreach (var condition in node.Status?.Conditions ?? [])
        {
            if (ForCondition(condition.Type, condition.Status) is { } key && !Has(taints, key, NoSchedule))
            {
                taints.Add(new Taint { Key = key, Effect = NoSchedule });
            }
        }

        if (node.Spec?.Unschedulable == true)
        {
            taints.Add(new Taint { Key = Unschedulable, Effect = NoSchedule });
        }

        return taints;
    }

    /// <summary>The NoSchedule taints on the node that this controller manages (condition taints and unschedulable).</summary>
    public static List<Taint> OwnedNoSchedule(Node node) =>
        (node.Spec?.Taints ?? []).Where(t => t.Effect == NoSchedule && (t.Key == Unschedulable || IsConditionKey(t.Key))).ToList();

    /// <summary>The node's NoExecute taints.</summary>
    public static List<Taint> NoExecuteOf(Node? node) => (node?.Spec?.Taints ?? []).Where(t => t.Effect == NoExecute).ToList();

    /// <summary>Whether a taint with this key and effect is in <paramref name="taints"/> (upstream's TaintExists: value and time do not count).</summary>
    public static bool Has(IEnumerable<Taint>? taints, string key, string effect) => taints?.Any(t => t.Key == key && t.Effect == effect) == true;

    /// <summary>Taints of <paramref name="a"/> whose key and effect are not in <paramref name="b"/>.</summary>
    public static List<Taint> Minus(IEnumerable<Taint> a, IReadOnlyCollection<Taint> b) =>
        a.Where(t => !Has(b, t.Key ?? "", t.Effect ?? "")).ToList();
}
