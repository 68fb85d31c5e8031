using System.Text;
using System.Text.Json.Nodes;
using static Korral.Api.Printing.PrintFormat;
using static Korral.Api.Selectors.JsonRead;

namespace Korral.Api.Printing.Printers;

/// <summary>PodDisruptionBudgets, HorizontalPodAutoscalers, ResourceQuotas and PriorityClasses.</summary>
internal static class PolicyPrinters
{
    public static readonly TableColumnDefinition[] PodDisruptionBudgetColumns =
    [
        Col.Name,
        Col.Str("Min Available", "Pods that must stay available."),
        Col.Str("Max Unavailable", "Pods that may be unavailable."),
        Col.Int("Allowed Disruptions", "Pods that may be disrupted now."),
        Col.Age,
    ];

    public static readonly TableColumnDefinition[] HorizontalPodAutoscalerColumns =
    [
        Col.Name,
        Col.Str("Reference", "The scaled object as Kind/name."),
        Col.Str("Targets", "Current and target metric values."),
        Col.Str("MinPods", "The lower replica limit."),
        Col.Str("MaxPods", "The upper replica limit."),
        Col.Str("Replicas", "The current number of replicas."),
        Col.Age,
    ];

    public static readonly TableColumnDefinition[] ResourceQuotaColumns =
    [
        Col.Name,
        Col.Str("Request", "Used and hard request quotas."),
        Col.Str("Limit", "Used and hard limit quotas."),
        Col.Age,
    ];

    public static readonly TableColumnDefinition[] PriorityClassColumns =
    [
        Col.Name,
        Col.Int("Value", "The priority of pods using the class."),
        Col.Bool("Global-Default", "Whether pods without a class get this one."),
        Col.Age,
        Col.Str("PreemptionPolicy", "Whether pods of the class may preempt others."),
    ];

    public static object?[] PodDisruptionBudget(JsonObject obj, DateTimeOffset now)
    {
        var spec = Obj(obj, "spec");
        return
        [
            Name(obj),
            Has(spec, "minAvailable") ? IntOrString(spec!["minAvailable"]) : "N/A",
            Has(spec, "maxUnavailable") ? IntOrString(spec!["maxUnavailable"]) : "N/A",
            Int(Int(Obj(obj, "status"), "disruptionsAllowed")),
            Age(obj, now),
        ];
    }

    public static object?[] HorizontalPodAutoscaler(JsonObject obj, DateTimeOffset now)
    {
        var spec = Obj(obj, "spec");
        var status = Obj(obj, "status");
        var target = Obj(spec, "scaleTargetRef");
        var minPods = IntOrNull(spec, "minReplicas") is { } min ? Itoa(min) : "<unset>";
        return
        [
            Name(obj),
            Str(target, "kind") + "/" + Str(target, "name"),
            Metrics(spec, status),
            minPods,
            Int(Int(spec, "maxReplicas")),
            Int(Int(status, "currentReplicas")),
            Age(obj, now),
        ];
    }

    public static object?[] ResourceQuota(JsonObject obj, DateTimeOffset now)
    {
        var status = Obj(obj, "status");
        var hard = Obj(status, "hard");
        var used = Obj(status, "used");
        var requests = new StringBuilder();
        var limits = new StringBuilder();
        if (hard is not null)
        {
            var names = hard.Select(p => p.Key).ToArray();
            Array.Sort(names, StringComparer.Ordinal);
            foreach (var name in names)
            {
                var column = name.StartsWith("limits.", StringComparison.Ordinal) ? limits : requests;
                var usedQuantity = used is not null && used.TryGetPropertyValue(name, out var u) && u is not null ? Quantity(u) : "0";
                column.Append(name).Append(": ").Append(usedQuantity).Append('/').Append(Quantity(hard[name])).Append(", ");
            }
        }

        return [Name(obj), TrimSeparator(requests), TrimSeparator(limits), Age(obj, now)];
    }

    public static object?[] PriorityClass(JsonObject obj, DateTimeOffset now) =>
    [
        Name(obj),
        Int(Int(obj, "value")),
        Bool(Selectors.JsonRead.Bool(obj, "globalDefault")),
        Age(obj, now),
        Str(obj, "preemptionPolicy"),
    ];

    private static string TrimSeparator(StringBuilder sb) => sb.Length >= 2 ? sb.ToString(0, sb.Length - 2) : sb.ToString();

    // The TARGETS cell: at most two metrics as current/target, "<unknown>" where no status is known yet.
    private static string Metrics(JsonObject? spec, JsonObject? status)
    {
        var specs = Arr(spec, "metrics");
        var statuses = Arr(status, "currentMetrics");

        // autoscaling/v1 objects carry a single CPU utilization target instead.
        if (specs is null && IntOrNull(spec, "targetCPUUtilizationPercentage") is { } cpuTarget)
        {
            var current = IntOrNull(status, "currentCPUUtilizationPercentage") is { } c ? Itoa(c) + "%" : "<unknown>";
            return "cpu: " + current + "/" + Itoa(cpuTarget) + "%";
        }

        if (specs is null || specs.Count == 0)
        {
            return "<none>";
        }

        const int max = 2;
        var list = new List<string>();
        for (var i = 0; i < specs.Count; i++)
        {
            var metric = specs[i] as JsonObject;
            var metricStatus = statuses is not null && i < statuses.Count ? statuses[i] as JsonObject : null;
            list.Add(FormatMetric(metric, metricStatus));
        }

        if (list.Count > max)
        {
            return string.Join(", ", list.Take(max)) + " + " + Itoa(list.Count - max) + " more...";
        }

        return string.Join(", ", list);
    }

    private static string FormatMetric(JsonObject? metric, JsonObject? status)
    {
        switch (Str(metric, "type"))
        {
            case "External":
                return ValueMetric(Obj(metric, "external"), Obj(status, "external"));
            case "Object":
                return ValueMetric(Obj(metric, "object"), Obj(status, "object"));
            case "Pods":
            {
                var current = Obj(status, "pods") is { } pods ? Quantity(Obj(pods, "current")?["averageValue"]) : "<unknown>";
                return current + "/" + Quantity(Obj(Obj(metric, "pods"), "target")?["averageValue"]);
            }

            case "Resource":
                return ResourceMetric(Obj(metric, "resource"), Obj(status, "resource"));
            case "ContainerResource":
                return ResourceMetric(Obj(metric, "containerResource"), Obj(status, "containerResource"));
            default:
                return "<unknown type>";
        }
    }

    // External and Object metrics: "current/target", or "current/target (avg)" for an average value target.
    private static string ValueMetric(JsonObject? source, JsonObject? status)
    {
        var target = Obj(source, "target");
        var current = Obj(status, "current");
        if (Has(target, "averageValue"))
        {
            var value = status is not null && Has(current, "averageValue") ? Quantity(current!["averageValue"]) : "<unknown>";
            return value + "/" + Quantity(target!["averageValue"]) + " (avg)";
        }

        var plain = status is not null ? Quantity(current?["value"]) : "<unknown>";
        return plain + "/" + Quantity(target?["value"]);
    }

    // Resource metrics: "cpu: 40%/80%", or "memory: 100Mi/200Mi" for an average value target.
    private static string ResourceMetric(JsonObject? source, JsonObject? status)
    {
        var name = Str(source, "name");
        var target = Obj(source, "target");
        var current = Obj(status, "current");
        if (Has(target, "averageValue"))
        {
            var value = status is not null ? Quantity(current?["averageValue"]) : "<unknown>";
            return name + ": " + value + "/" + Quantity(target!["averageValue"]);
        }

        var utilization = status is not null && IntOrNull(current, "averageUtilization") is { } u ? Itoa(u) + "%" : "<unknown>";
        var goal = IntOrNull(target, "averageUtilization") is { } g ? Itoa(g) + "%" : "<auto>";
        return name + ": " + utilization + "/" + goal;
    }
}
