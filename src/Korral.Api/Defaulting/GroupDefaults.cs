using System.Text.Json.Nodes;
using Korral.Api.Validation;

namespace Korral.Api.Defaulting;

/// <summary>Defaults of kinds outside core, apps and batch.</summary>
public static class GroupDefaults
{
    /// <summary>StorageClasses: reclaimPolicy Delete, volumeBindingMode Immediate.</summary>
    public static void StorageClass(JsonObject storageClass)
    {
        JsonAccess.SetIfMissing(storageClass, "reclaimPolicy", "Delete");
        JsonAccess.SetIfMissing(storageClass, "volumeBindingMode", "Immediate");
    }

    /// <summary>PriorityClasses: preemptionPolicy PreemptLowerPriority.</summary>
    public static void PriorityClass(JsonObject priorityClass) =>
        JsonAccess.SetIfMissing(priorityClass, "preemptionPolicy", "PreemptLowerPriority");

    /// <summary>EndpointSlices: port name "" and protocol TCP.</summary>
    public static void EndpointSlice(JsonObject slice)
    {
        foreach (var (_, port) in JsonAccess.Items(slice, "ports"))
        {
            JsonAccess.SetIfMissing(port, "name", "");
            JsonAccess.SetIfMissing(port, "protocol", "TCP");
        }
    }

    /// <summary>
    /// HorizontalPodAutoscalers: minReplicas 1; for autoscaling/v2 also a CPU utilization metric of 80% when no
    /// metric is given, and a given behavior completed with upstream's scale-up and scale-down rules.
    /// </summary>
    public static void HorizontalPodAutoscaler(JsonObject hpa)
    {
        var spec = JsonAccess.Ensure(hpa, "spec");
        JsonAccess.SetIfMissing(spec, "minReplicas", 1);
        if (JsonAccess.Str(hpa, "apiVersion") == "autoscaling/v1")
        {
            return;
        }

        if (JsonAccess.Count(spec, "metrics") == 0)
        {
            spec["metrics"] = new JsonArray
            {
                new JsonObject
                {
                    ["type"] = "Resource",
                    ["resource"] = new JsonObject
                    {
                        ["name"] = "cpu",
                        ["target"] = new JsonObject { ["type"] = "Utilization", ["averageUtilization"] = 80 },
                    },
                },
            };
        }

        if (JsonAccess.Obj(spec, "behavior") is { } behavior)
        {
            FillRules(JsonAccess.Ensure(behavior, "scaleUp"), 0,
                [("Pods", 4, 15), ("Percent", 100, 15)]);
            FillRules(JsonAccess.Ensure(behavior, "scaleDown"), 300, [("Percent", 100, 15)]);
        }
    }

    /// <summary>RoleBindings and ClusterRoleBindings: the RBAC group on the role reference and on User and Group subjects.</summary>
    public static void RoleBinding(JsonObject binding)
    {
        JsonAccess.SetIfEmpty(JsonAccess.Ensure(binding, "roleRef"), "apiGroup", "rbac.authorization.k8s.io");
        foreach (var (_, subject) in JsonAccess.Items(binding, "subjects"))
        {
            if (JsonAccess.Str(subject, "apiGroup").Length == 0 && JsonAccess.Str(subject, "kind") is "User" or "Group")
            {
                subject["apiGroup"] = "rbac.authorization.k8s.io";
            }
        }
    }

    /// <summary>NetworkPolicies: port protocol TCP; policyTypes Ingress (and Egress when egress rules exist).</summary>
    public static void NetworkPolicy(JsonObject policy)
    {
        var spec = JsonAccess.Ensure(policy, "spec");
        foreach (var direction in new[] { "ingress", "egress" })
        {
            foreach (var (_, rule) in JsonAccess.Items(spec, direction))
            {
                foreach (var (_, port) in JsonAccess.Items(rule, "ports"))
                {
                    JsonAccess.SetIfMissing(port, "protocol", "TCP");
                }
            }
        }

        if (JsonAccess.Count(spec, "policyTypes") == 0)
        {
            var types = new JsonArray("Ingress");
            if (JsonAccess.Count(spec, "egress") != 0)
            {
                types.Add("Egress");
            }

            spec["policyTypes"] = types;
        }
    }

    private static void FillRules(JsonObject rules, int window, (string Type, int Value, int Period)[] policies)
    {
        JsonAccess.SetIfMissing(rules, "stabilizationWindowSeconds", window);
        JsonAccess.SetIfMissing(rules, "selectPolicy", "Max");
        if (!JsonAccess.Has(rules, "policies"))
        {
            var list = new JsonArray();
            foreach (var (type, value, period) in policies)
            {
                list.Add(new JsonObject { ["type"] = type, ["value"] = value, ["periodSeconds"] = period });
            }

            rules["policies"] = list;
        }
    }
}
