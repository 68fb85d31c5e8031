using System.Text.Json.Nodes;

namespace Korral.Bench.Scheduler.Workloads;

/// <summary>
/// The JSON bodies the benchmark writes, after upstream's node-default.yaml and pod templates. Pods use generateName, so
/// one body serialized once serves every create.
/// </summary>
public static class Templates
{
    public const string HighPriorityClass = "scheduler-perf-high";
    public const string ZoneLabel = "topology.kubernetes.io/zone";
    public const string HostnameLabel = "kubernetes.io/hostname";

    /// <summary>A node with the hostname label a kubelet sets (required anti-affinity is on it) and the workload's zone.</summary>
    public static byte[] Node(string name, int index, NodeZones zones)
    {
        var labels = new JsonObject { [HostnameLabel] = name };
        var zone = zones switch
        {
            NodeZones.Zone1 => "zone1",
            NodeZones.ThreeMoons => $"moon-{(index % 3) + 1}",
            _ => null,
        };
        if (zone is not null)
        {
            labels[ZoneLabel] = zone;
        }

        return Bytes(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = labels },
            ["spec"] = new JsonObject(),
        });
    }

    /// <summary>node-default.yaml's status (the server drops status on create, so it is patched in): 4 cpu, 32Gi, 110 pods, Ready.</summary>
    public static byte[] NodeStatusPatch()
    {
        JsonObject Resources() => new() { ["cpu"] = "4", ["memory"] = "32Gi", ["pods"] = "110" };
        return Bytes(new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["capacity"] = Resources(),
                ["allocatable"] = Resources(),
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True", ["reason"] = "KubeletReady" }),
                ["phase"] = "Running",
            },
        });
    }

    public static byte[] Namespace(string name) =>
        Bytes(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } });

    /// <summary>
    /// pod-high-priority.yaml sets spec.priority 10 directly (upstream's test API server runs without the Priority admission
    /// plugin); this server admits priority only from a PriorityClass, so the pods name one of value 10.
    /// </summary>
    public static byte[] HighPriorityClassBody() => Bytes(new JsonObject
    {
        ["apiVersion"] = "scheduling.k8s.io/v1",
        ["kind"] = "PriorityClass",
        ["metadata"] = new JsonObject { ["name"] = HighPriorityClass },
        ["value"] = 10,
    });

    public static byte[] Pod(PodKind kind)
    {
        var (cpu, prefix) = kind switch
        {
            PodKind.LowPriority => ("900m", "pod-"),
            PodKind.HighPriority => ("3000m", "pod-"),
            PodKind.AntiAffinity => ("100m", "anti-affinity-pod-"),
            PodKind.NodeAffinity => ("100m", "node-affinity-"),
            PodKind.TopologySpread or PodKind.PreferredTopologySpread => ("100m", "spreading-pod-"),
            _ => ("100m", "pod-"),
        };
        JsonObject Resources() => new() { ["cpu"] = cpu, ["memory"] = "500Mi" };
        var spec = new JsonObject
        {
            ["containers"] = new JsonArray(new JsonObject
            {
                ["name"] = "pause",
                ["image"] = "registry.k8s.io/pause:3.10",
                ["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 80 }),
                ["resources"] = new JsonObject { ["requests"] = Resources(), ["limits"] = Resources() },
            }),
        };
        var metadata = new JsonObject { ["generateName"] = prefix };
        switch (kind)
        {
            case PodKind.AntiAffinity:
                metadata["labels"] = new JsonObject { ["color"] = "green" };
                spec["affinity"] = new JsonObject
                {
                    ["podAntiAffinity"] = new JsonObject
                    {
                        ["requiredDuringSchedulingIgnoredDuringExecution"] = new JsonArray(new JsonObject
                        {
                            ["labelSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["color"] = "green" } },
                            ["topologyKey"] = HostnameLabel,
                            ["namespaces"] = new JsonArray("sched-1", "sched-0"),
                        }),
                    },
                };
                break;
            case PodKind.NodeAffinity:
                spec["affinity"] = new JsonObject
                {
                    ["nodeAffinity"] = new JsonObject
                    {
                        ["requiredDuringSchedulingIgnoredDuringExecution"] = new JsonObject
                        {
                            ["nodeSelectorTerms"] = new JsonArray(new JsonObject
                            {
                                ["matchExpressions"] = new JsonArray(new JsonObject
                                {
                                    ["key"] = ZoneLabel,
                                    ["operator"] = "In",
                                    ["values"] = new JsonArray("zone1", "zone2"),
                                }),
                            }),
                        },
                    },
                };
                break;
            case PodKind.TopologySpread or PodKind.PreferredTopologySpread:
                metadata["labels"] = new JsonObject { ["color"] = "blue" };
                spec["topologySpreadConstraints"] = new JsonArray(new JsonObject
                {
                    ["maxSkew"] = 5,
                    ["topologyKey"] = ZoneLabel,
                    ["whenUnsatisfiable"] = kind == PodKind.TopologySpread ? "DoNotSchedule" : "ScheduleAnyway",
                    ["labelSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["color"] = "blue" } },
                });
                break;
            case PodKind.LowPriority:
                spec["terminationGracePeriodSeconds"] = 0;
                break;
            case PodKind.HighPriority:
                spec["priorityClassName"] = HighPriorityClass;
                break;
        }

        return Bytes(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = metadata, ["spec"] = spec });
    }

    private static byte[] Bytes(JsonObject json) => System.Text.Encoding.UTF8.GetBytes(json.ToJsonString());
}
