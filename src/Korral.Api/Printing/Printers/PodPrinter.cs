using System.Text.Json.Nodes;
using static Korral.Api.Printing.PrintFormat;
using static Korral.Api.Selectors.JsonRead;

namespace Korral.Api.Printing.Printers;

/// <summary>
/// Pods: READY "ready/total", STATUS as upstream derives it (scheduling gate, init progress <c>Init:1/2</c>, init
/// failures <c>Init:Error</c>, container waiting/terminated reasons, <c>Completed</c>, <c>NotReady</c>,
/// <c>Terminating</c>, <c>Unknown</c> for lost nodes), RESTARTS with "(5m ago)" since the last restart, AGE;
/// wide IP, NODE, NOMINATED NODE, READINESS GATES.
/// </summary>
internal static class PodPrinter
{
    public static readonly TableColumnDefinition[] Columns =
    [
        Col.Name,
        Col.Str("Ready", "Ready containers out of all containers (sidecars included)."),
        Col.Str("Status", "A summary of the pod's phase and container states."),
        Col.Str("Restarts", "Container restarts, and how long ago the last one was."),
        Col.Age,
        Col.Str("IP", "The pod's primary IP address.", 1),
        Col.Str("Node", "The node the pod is bound to.", 1),
        Col.Str("Nominated Node", "The node the scheduler nominated after preemption.", 1),
        Col.Str("Readiness Gates", "True readiness gate conditions out of all gates.", 1),
    ];

    private static readonly TableRowCondition[] Succeeded = [new("Completed", "True", "Succeeded", "The pod has completed successfully.")];
    private static readonly TableRowCondition[] Failed = [new("Completed", "True", "Failed", "The pod failed.")];

    public static IReadOnlyList<TableRowCondition>? RowConditions(JsonObject pod) =>
        Path(pod, "status", "phase") switch
        {
            "Succeeded" => Succeeded,
            "Failed" => Failed,
            _ => null,
        };

    public static object?[] Cells(JsonObject pod, DateTimeOffset now)
    {
        var spec = Obj(pod, "spec");
        var status = Obj(pod, "status");
        var conditions = Arr(status, "conditions");
        var containers = Arr(spec, "containers");
        var initSpecs = Arr(spec, "initContainers");

        long restarts = 0;
        long sidecarRestarts = 0;
        var total = containers?.Count ?? 0;
        var ready = 0;
        DateTimeOffset? lastRestart = null;
        DateTimeOffset? lastSidecarRestart = null;

        var phase = Str(status, "phase");
        var reason = Str(status, "reason");
        if (reason.Length == 0)
        {
            reason = phase;
        }

        if (conditions is not null)
        {
            foreach (var c in conditions)
            {
                if (c is JsonObject cond && StrIs(cond, "type", "PodScheduled") && StrIs(cond, "reason", "SchedulingGated"))
                {
                    reason = "SchedulingGated";
                }
            }
        }

        if (initSpecs is not null)
        {
            foreach (var c in initSpecs)
            {
                if (IsSidecar(c as JsonObject))
                {
                    total++;
                }
            }
        }

        var initializing = false;
        var initStatuses = Arr(status, "initContainerStatuses");
        if (initStatuses is not null)
        {
            for (var i = 0; i < initStatuses.Count; i++)
            {
                var cs = initStatuses[i] as JsonObject;
                var count = Int(cs, "restartCount");
                restarts += count;
                var finished = LastTerminated(cs);
                if (finished is { } f && (lastRestart is null || f > lastRestart))
                {
                    lastRestart = f;
                }

                var sidecar = IsSidecar(FindByName(initSpecs, Str(cs, "name")));
                if (sidecar)
                {
                    sidecarRestarts += count;
                    if (finished is { } sf && (lastSidecarRestart is null || sf > lastSidecarRestart))
                    {
                        lastSidecarRestart = sf;
                    }
                }

                var state = Obj(cs, "state");
                var terminated = Obj(state, "terminated");
                var waiting = Obj(state, "waiting");
                if (terminated is not null && Int(terminated, "exitCode") == 0)
                {
                    continue;
                }

                if (sidecar && Bool(cs, "started"))
                {
                    if (Bool(cs, "ready"))
                    {
                        ready++;
                    }

                    continue;
                }

                if (terminated is not null)
                {
                    var terminatedReason = Str(terminated, "reason");
                    if (terminatedReason.Length == 0)
                    {
                        var signal = Int(terminated, "signal");
                        reason = signal != 0 ? "Init:Signal:" + Itoa(signal) : "Init:ExitCode:" + Itoa(Int(terminated, "exitCode"));
                    }
                    else
                    {
                        reason = "Init:" + terminatedReason;
                    }
                }
                else if (Str(waiting, "reason") is { Length: > 0 } waitingReason && waitingReason != "PodInitializing")
                {
                    reason = "Init:" + waitingReason;
                }
                else
                {
                    reason = "Init:" + Itoa(i) + "/" + Itoa(initSpecs?.Count ?? 0);
                }

                initializing = true;
                break;
            }
        }

        if (!initializing || FirstConditionTrue(conditions, "Initialized"))
        {
            restarts = sidecarRestarts;
            lastRestart = lastSidecarRestart;
            var hasRunning = false;
            var statuses = Arr(status, "containerStatuses");
            for (var i = (statuses?.Count ?? 0) - 1; i >= 0; i--)
            {
                var cs = statuses![i] as JsonObject;
                restarts += Int(cs, "restartCount");
                if (LastTerminated(cs) is { } f && (lastRestart is null || f > lastRestart))
                {
                    lastRestart = f;
                }

                var state = Obj(cs, "state");
                var terminated = Obj(state, "terminated");
                if (Str(Obj(state, "waiting"), "reason") is { Length: > 0 } waitingReason)
                {
                    reason = waitingReason;
                }
                else if (terminated is not null && Str(terminated, "reason") is { Length: > 0 } terminatedReason)
                {
                    reason = terminatedReason;
                }
                else if (terminated is not null)
                {
                    var signal = Int(terminated, "signal");
                    reason = signal != 0 ? "Signal:" + Itoa(signal) : "ExitCode:" + Itoa(Int(terminated, "exitCode"));
                }
                else if (Bool(cs, "ready") && Has(state, "running"))
                {
                    hasRunning = true;
                    ready++;
                }
            }

            if (reason == "Completed" && hasRunning)
            {
                reason = ConditionTrue(conditions, "Ready") ? "Running" : "NotReady";
            }
        }

        if (Deleting(pod))
        {
            if (Str(status, "reason") == "NodeLost")
            {
                reason = "Unknown";
            }
            else if (phase is not ("Succeeded" or "Failed"))
            {
                reason = "Terminating";
            }
        }

        var restartsText = restarts != 0 && lastRestart is { } last
            ? Itoa(restarts) + " (" + HumanDuration.Since(last, now) + " ago)"
            : Itoa(restarts);

        var ip = Str(status, "podIP");
        if (Arr(status, "podIPs") is { Count: > 0 } ips)
        {
            ip = Str(ips[0] as JsonObject, "ip");
        }

        var readinessGates = "<none>";
        if (Arr(spec, "readinessGates") is { Count: > 0 } gates)
        {
            var trueGates = 0;
            foreach (var g in gates)
            {
                var type = Str(g as JsonObject, "conditionType");
                if (Condition(conditions, type) is { } c && StrIs(c, "status", "True"))
                {
                    trueGates++;
                }
            }

            readinessGates = Itoa(trueGates) + "/" + Itoa(gates.Count);
        }

        return
        [
            Name(pod),
            Itoa(ready) + "/" + Itoa(total),
            reason,
            restartsText,
            Age(pod, now),
            NoneIfEmpty(ip),
            NoneIfEmpty(Str(spec, "nodeName")),
            NoneIfEmpty(Str(status, "nominatedNodeName")),
            readinessGates,
        ];
    }

    private static string NoneIfEmpty(string s) => s.Length == 0 ? "<none>" : s;

    // A restartable init container ("sidecar") has restartPolicy Always.
    private static bool IsSidecar(JsonObject? initContainer) => StrIs(initContainer, "restartPolicy", "Always");

    private static JsonObject? FindByName(JsonArray? containers, string name)
    {
        if (containers is null)
        {
            return null;
        }

        foreach (var c in containers)
        {
            if (c is JsonObject o && StrIs(o, "name", name))
            {
                return o;
            }
        }

        return null;
    }

    private static DateTimeOffset? LastTerminated(JsonObject? containerStatus) =>
        Obj(Obj(containerStatus, "lastState"), "terminated") is { } t ? Time(t, "finishedAt") : null;

    private static bool FirstConditionTrue(JsonArray? conditions, string type) =>
        Condition(conditions, type) is { } c && StrIs(c, "status", "True");

    private static bool ConditionTrue(JsonArray? conditions, string type) =>
        conditions is not null && conditions.Any(c => c is JsonObject o && StrIs(o, "type", type) && StrIs(o, "status", "True"));
}
