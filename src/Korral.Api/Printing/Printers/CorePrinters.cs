using System.Text.Json.Nodes;
using static Korral.Api.Printing.PrintFormat;
using static Korral.Api.Selectors.JsonRead;

namespace Korral.Api.Printing.Printers;

/// <summary>Nodes, Namespaces, ConfigMaps, Secrets and ServiceAccounts.</summary>
internal static class CorePrinters
{
    public static readonly TableColumnDefinition[] NodeColumns =
    [
        Col.Name,
        Col.Str("Status", "Ready, NotReady or Unknown, plus SchedulingDisabled when cordoned."),
        Col.Str("Roles", "Roles from node-role.kubernetes.io/<role> labels."),
        Col.Age,
        Col.Str("Version", "The kubelet version."),
        Col.Str("Internal-IP", "The first InternalIP address.", 1),
        Col.Str("External-IP", "The first ExternalIP address.", 1),
        Col.Str("OS-Image", "The operating system image.", 1),
        Col.Str("Kernel-Version", "The kernel version.", 1),
        Col.Str("Container-Runtime", "The container runtime and its version.", 1),
    ];

    public static readonly TableColumnDefinition[] NamespaceColumns =
    [
        Col.Name,
        Col.Str("Status", "Active or Terminating."),
        Col.Age,
    ];

    public static readonly TableColumnDefinition[] ConfigMapColumns =
    [
        Col.Name,
        Col.Str("Data", "Number of keys in data and binaryData."),
        Col.Age,
    ];

    public static readonly TableColumnDefinition[] SecretColumns =
    [
        Col.Name,
        Col.Str("Type", "The secret type."),
        Col.Str("Data", "Number of keys."),
        Col.Age,
    ];

    public static readonly TableColumnDefinition[] ServiceAccountColumns =
    [
        Col.Name,
        Col.Str("Secrets", "Number of referenced secrets."),
        Col.Age,
    ];

    private const string RolePrefix = "node-role.kubernetes.io/";

    public static object?[] Node(JsonObject obj, DateTimeOffset now)
    {
        var status = Obj(obj, "status");
        var nodeInfo = Obj(status, "nodeInfo");

        // The last Ready condition wins, as in upstream's map of conditions by type.
        var ready = Condition(Arr(status, "conditions"), "Ready", last: true);
        var state = ready is null ? "Unknown" : StrIs(ready, "status", "True") ? "Ready" : "NotReady";
        if (Bool(Obj(obj, "spec"), "unschedulable"))
        {
            state += ",SchedulingDisabled";
        }

        var roles = new List<string>();
        if (Obj(Meta(obj), "labels") is { } labels)
        {
            foreach (var (key, value) in labels)
            {
                if (key.StartsWith(RolePrefix, StringComparison.Ordinal))
                {
                    if (key.Length > RolePrefix.Length)
                    {
                        roles.Add(key[RolePrefix.Length..]);
                    }
                }
                else if (key == "kubernetes.io/role" && Str(value) is { Length: > 0 } role)
                {
                    roles.Add(role);
                }
            }
        }

        var rolesText = SortedDistinct(roles, ",");
        return
        [
            Name(obj),
            state,
            rolesText.Length == 0 ? "<none>" : rolesText,
            Age(obj, now),
            Str(nodeInfo, "kubeletVersion"),
            Address(status, "InternalIP"),
            Address(status, "ExternalIP"),
            UnknownIfEmpty(Str(nodeInfo, "osImage")),
            UnknownIfEmpty(Str(nodeInfo, "kernelVersion")),
            UnknownIfEmpty(Str(nodeInfo, "containerRuntimeVersion")),
        ];
    }

    public static object?[] Namespace(JsonObject obj, DateTimeOffset now) =>
        [Name(obj), Path(obj, "status", "phase"), Age(obj, now)];

    public static object?[] ConfigMap(JsonObject obj, DateTimeOffset now) =>
        [Name(obj), Int((Obj(obj, "data")?.Count ?? 0) + (Obj(obj, "binaryData")?.Count ?? 0)), Age(obj, now)];

    public static object?[] Secret(JsonObject obj, DateTimeOffset now) =>
        [Name(obj), Str(obj, "type"), Int(Obj(obj, "data")?.Count ?? 0), Age(obj, now)];

    public static object?[] ServiceAccount(JsonObject obj, DateTimeOffset now) =>
        [Name(obj), Int(Arr(obj, "secrets")?.Count ?? 0), Age(obj, now)];

    private static string Address(JsonObject? status, string type)
    {
        if (Arr(status, "addresses") is { } addresses)
        {
            foreach (var item in addresses)
            {
                if (item is JsonObject a && Str(a, "type") == type)
                {
                    return Str(a, "address");
                }
            }
        }

        return "<none>";
    }

    private static string UnknownIfEmpty(string s) => s.Length == 0 ? "<unknown>" : s;
}
