using System.Text.Json.Nodes;
using static Korral.Api.Printing.PrintFormat;
using static Korral.Api.Selectors.JsonRead;

namespace Korral.Api.Printing.Printers;

/// <summary>Deployments, ReplicaSets, ReplicationControllers, StatefulSets and DaemonSets.</summary>
internal static class WorkloadPrinters
{
    public static readonly TableColumnDefinition[] DeploymentColumns =
    [
        Col.Name,
        Col.Str("Ready", "Ready pods out of desired pods."),
        Col.Str("Up-to-date", "Pods running the current pod template."),
        Col.Str("Available", "Pods available to serve."),
        Col.Age,
        Col.Containers,
        Col.Images,
        Col.Selector("The label selector of the pods."),
    ];

    public static readonly TableColumnDefinition[] ReplicaSetColumns =
    [
        Col.Name,
        Col.Int("Desired", "Desired number of pods."),
        Col.Int("Current", "Pods that exist."),
        Col.Int("Ready", "Pods that are ready."),
        Col.Age,
        Col.Containers,
        Col.Images,
        Col.Selector("The label selector of the pods."),
    ];

    public static readonly TableColumnDefinition[] StatefulSetColumns =
    [
        Col.Name,
        Col.Str("Ready", "Ready pods out of desired pods."),
        Col.Age,
        Col.Containers,
        Col.Images,
    ];

    public static readonly TableColumnDefinition[] DaemonSetColumns =
    [
        Col.Name,
        Col.Int("Desired", "Nodes that should run the daemon pod."),
        Col.Int("Current", "Nodes running at least one daemon pod."),
        Col.Int("Ready", "Nodes whose daemon pod is ready."),
        Col.Int("Up-to-date", "Nodes running the current pod template."),
        Col.Int("Available", "Nodes whose daemon pod is available."),
        Col.Str("Node Selector", "The node selector of the pod template."),
        Col.Age,
        Col.Containers,
        Col.Images,
        Col.Selector("The label selector of the pods."),
    ];

    public static object?[] Deployment(JsonObject obj, DateTimeOffset now)
    {
        var spec = Obj(obj, "spec");
        var status = Obj(obj, "status");
        var (names, images) = Containers(TemplateSpec(spec));

        // Upstream prints the selector's canonical text here, "" for none and "<invalid>" when it does not convert.
        var selector = Selectors.LabelSelector.TryFromLabelSelector(spec?["selector"], out var parsed, out _) ? parsed.ToString() : "<invalid>";
        return
        [
            Name(obj),
            Itoa(Int(status, "readyReplicas")) + "/" + Itoa(DesiredReplicas(spec)),
            Int(Int(status, "updatedReplicas")),
            Int(Int(status, "availableReplicas")),
            Age(obj, now),
            names,
            images,
            selector,
        ];
    }

    public static object?[] ReplicaSet(JsonObject obj, DateTimeOffset now)
    {
        var spec = Obj(obj, "spec");
        var status = Obj(obj, "status");
        var (names, images) = Containers(TemplateSpec(spec));
        return
        [
            Name(obj),
            Int(DesiredReplicas(spec)),
            Int(Int(status, "replicas")),
            Int(Int(status, "readyReplicas")),
            Age(obj, now),
            names,
            images,
            LabelSelector(spec?["selector"]),
        ];
    }

    public static object?[] ReplicationController(JsonObject obj, DateTimeOffset now)
    {
        var spec = Obj(obj, "spec");
        var status = Obj(obj, "status");
        var (names, images) = Containers(TemplateSpec(spec));
        return
        [
            Name(obj),
            Int(DesiredReplicas(spec)),
            Int(Int(status, "replicas")),
            Int(Int(status, "readyReplicas")),
            Age(obj, now),
            names,
            images,
            Labels(Obj(spec, "selector")),
        ];
    }

    public static object?[] StatefulSet(JsonObject obj, DateTimeOffset now)
    {
        var spec = Obj(obj, "spec");
        var (names, images) = Containers(TemplateSpec(spec));
        return
        [
            Name(obj),
            Itoa(Int(Obj(obj, "status"), "readyReplicas")) + "/" + Itoa(DesiredReplicas(spec)),
            Age(obj, now),
            names,
            images,
        ];
    }

    public static object?[] DaemonSet(JsonObject obj, DateTimeOffset now)
    {
        var spec = Obj(obj, "spec");
        var status = Obj(obj, "status");
        var podSpec = TemplateSpec(spec);
        var (names, images) = Containers(podSpec);
        return
        [
            Name(obj),
            Int(Int(status, "desiredNumberScheduled")),
            Int(Int(status, "currentNumberScheduled")),
            Int(Int(status, "numberReady")),
            Int(Int(status, "updatedNumberScheduled")),
            Int(Int(status, "numberAvailable")),
            Labels(Obj(podSpec, "nodeSelector")),
            Age(obj, now),
            names,
            images,
            LabelSelector(spec?["selector"]),
        ];
    }

    // spec.replicas defaults to 1 when unset, as upstream defaulting does before anything is stored.
    private static long DesiredReplicas(JsonObject? spec) => Int(spec, "replicas", 1);
}
