using System.Text.Json.Nodes;
using static Korral.Api.Printing.PrintFormat;
using static Korral.Api.Selectors.JsonRead;

namespace Korral.Api.Printing.Printers;

/// <summary>Leases, ControllerRevisions, RBAC bindings, admission webhook configurations and RuntimeClasses.</summary>
internal static class ClusterPrinters
{
    public static readonly TableColumnDefinition[] LeaseColumns =
    [
        Col.Name,
        Col.Str("Holder", "The identity holding the lease."),
        Col.Age,
    ];

    public static readonly TableColumnDefinition[] ControllerRevisionColumns =
    [
        Col.Name,
        Col.Str("Controller", "The owning controller as kind.group/name."),
        Col.Str("Revision", "The revision number."),
        Col.Age,
    ];

    public static readonly TableColumnDefinition[] RoleBindingColumns =
    [
        Col.Name,
        Col.Str("Role", "The bound role as Kind/name."),
        Col.Age,
        Col.Str("Users", "Users bound.", 1),
        Col.Str("Groups", "Groups bound.", 1),
        Col.Str("ServiceAccounts", "Service accounts bound, as namespace/name.", 1),
    ];

    public static readonly TableColumnDefinition[] WebhookConfigurationColumns =
    [
        Col.Name,
        Col.Int("Webhooks", "Number of webhooks in the configuration."),
        Col.Age,
    ];

    public static readonly TableColumnDefinition[] RuntimeClassColumns =
    [
        Col.Name,
        Col.Str("Handler", "The CRI handler."),
        Col.Age,
    ];

    public static object?[] Lease(JsonObject obj, DateTimeOffset now) =>
        [Name(obj), Path(obj, "spec", "holderIdentity"), Age(obj, now)];

    public static object?[] ControllerRevision(JsonObject obj, DateTimeOffset now)
    {
        var controller = "<none>";
        if (Arr(Meta(obj), "ownerReferences") is { } owners)
        {
            foreach (var item in owners)
            {
                if (item is JsonObject owner && Selectors.JsonRead.Bool(owner, "controller"))
                {
                    var apiVersion = Str(owner, "apiVersion");
                    var slash = apiVersion.IndexOf('/');
                    var group = slash < 0 ? "" : apiVersion[..slash];
                    var kind = Str(owner, "kind");
                    var name = Str(owner, "name");
                    if (kind.Length == 0 && group.Length == 0)
                    {
                        controller = name;
                    }
                    else
                    {
                        var groupKind = group.Length == 0 ? kind : kind + "." + group;
                        controller = groupKind.ToLowerInvariant() + "/" + name;
                    }

                    break;
                }
            }
        }

        return [Name(obj), controller, Int(Int(obj, "revision")), Age(obj, now)];
    }

    public static object?[] RoleBinding(JsonObject obj, DateTimeOffset now)
    {
        var roleRef = Obj(obj, "roleRef");
        var users = new List<string>();
        var groups = new List<string>();
        var serviceAccounts = new List<string>();
        if (Arr(obj, "subjects") is { } subjects)
        {
            foreach (var item in subjects)
            {
                var subject = item as JsonObject;
                var name = Str(subject, "name");
                switch (Str(subject, "kind"))
                {
                    case "User": users.Add(name); break;
                    case "Group": groups.Add(name); break;
                    case "ServiceAccount": serviceAccounts.Add(Str(subject, "namespace") + "/" + name); break;
                }
            }
        }

        return
        [
            Name(obj),
            Str(roleRef, "kind") + "/" + Str(roleRef, "name"),
            Age(obj, now),
            string.Join(", ", users),
            string.Join(", ", groups),
            string.Join(", ", serviceAccounts),
        ];
    }

    public static object?[] WebhookConfiguration(JsonObject obj, DateTimeOffset now) =>
        [Name(obj), Int(Arr(obj, "webhooks")?.Count ?? 0), Age(obj, now)];

    public static object?[] RuntimeClass(JsonObject obj, DateTimeOffset now) =>
        [Name(obj), Str(obj, "handler"), Age(obj, now)];
}
