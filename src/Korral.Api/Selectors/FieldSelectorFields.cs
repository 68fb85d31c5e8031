using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using static Korral.Api.Selectors.JsonRead;

namespace Korral.Api.Selectors;

/// <summary>
/// Per-kind field selector support, matching upstream's field label conversions and selectable field sets
/// (Kubernetes 1.33): e.g. Pod <c>spec.nodeName</c>, Event <c>involvedObject.uid</c>, Secret <c>type</c>.
/// Kinds without an entry (ConfigMap, Deployment, CRDs…) get <c>metadata.name</c> and <c>metadata.namespace</c>,
/// and reject anything else with upstream's generic message.
/// </summary>
public static class FieldSelectorFields
{
    private static readonly Dictionary<(string Group, string Kind), SelectableFieldSet> Sets = Build();
    private static readonly ConcurrentDictionary<(string Group, string Kind), SelectableFieldSet> GenericSets = new();

    /// <summary>The field set of a kind (the generic one for kinds without special fields).</summary>
    public static SelectableFieldSet For(string group, string kind) =>
        Sets.TryGetValue((group, kind), out var set) ? set : GenericSets.GetOrAdd((group, kind), static k => Generic(k.Group, k.Kind));

    /// <summary>The field names a client may use for the kind, sorted.</summary>
    public static IReadOnlyList<string> Supported(string group, string kind) => For(group, kind).Fields;

    /// <summary>See <see cref="SelectableFieldSet.TryConvert"/>.</summary>
    public static bool TryConvert(string group, string kind, FieldSelector selector, out FieldSelector converted, out string? error) =>
        For(group, kind).TryConvert(selector, out converted, out error);

    /// <summary>
    /// Checks and applies a selector to one object: convenient for a single object; for a list resolve
    /// <see cref="For"/> and convert once.
    /// </summary>
    public static bool Matches(string group, string kind, FieldSelector selector, JsonObject obj)
    {
        var set = For(group, kind);
        return set.TryConvert(selector, out var converted, out _) && set.Matches(converted, obj);
    }

    /// <summary>The value of a (stored) field of an object, or null if the kind has no such field.</summary>
    public static string? GetValue(string group, string kind, JsonObject obj, string field) => For(group, kind).GetValue(obj, field);

    private static SelectableFieldSet Generic(string group, string kind) => new(
        group,
        kind,
        Identity("metadata.name", "metadata.namespace"),
        new Dictionary<string, Func<JsonObject, string>> { ["metadata.name"] = Name, ["metadata.namespace"] = Namespace },
        static label => $"{GoFormat.Quote(label)} is not a known field selector: only \"metadata.name\", \"metadata.namespace\"");

    private static Dictionary<(string, string), SelectableFieldSet> Build()
    {
        static string NotSupported(string label) => "field label not supported: " + label;

        var sets = new Dictionary<(string, string), SelectableFieldSet>();
        void Add(string group, string kind, Dictionary<string, string> accepted, Dictionary<string, Func<JsonObject, string>> extractors, Func<string, string>? rejection = null) =>
            sets[(group, kind)] = new SelectableFieldSet(group, kind, accepted, extractors, rejection ?? NotSupported);

        // Pods: the scheduler and kubelets watch by spec.nodeName; "spec.host" is the pre-1.0 spelling.
        var podAccepted = Identity(
            "metadata.name", "metadata.namespace", "spec.nodeName", "spec.restartPolicy", "spec.schedulerName",
            "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName");
        podAccepted["spec.host"] = "spec.nodeName";
        Add("", "Pod", podAccepted, new()
        {
            ["metadata.name"] = Name,
            ["metadata.namespace"] = Namespace,
            ["spec.nodeName"] = o => Path(o, "spec", "nodeName"),
            ["spec.restartPolicy"] = o => Path(o, "spec", "restartPolicy"),
            ["spec.schedulerName"] = o => Path(o, "spec", "schedulerName"),
            ["spec.serviceAccountName"] = o =>
            {
                var spec = Obj(o, "spec");
                var name = Str(spec, "serviceAccountName");
                return name.Length != 0 ? name : Str(spec, "serviceAccount");
            },
            ["spec.hostNetwork"] = o => FormatBool(Bool(Obj(o, "spec"), "hostNetwork")),
            ["status.phase"] = o => Path(o, "status", "phase"),
            ["status.podIP"] = PodIP,
            ["status.nominatedNodeName"] = o => Path(o, "status", "nominatedNodeName"),
        });

        // Nodes and namespaces are cluster-scoped: upstream does not accept metadata.namespace for them.
        Add("", "Node", Identity("metadata.name", "spec.unschedulable"), new()
        {
            ["metadata.name"] = Name,
            ["spec.unschedulable"] = o => FormatBool(Bool(Obj(o, "spec"), "unschedulable")),
        });
        Add("", "Namespace", Identity("metadata.name", "status.phase"), new()
        {
            ["metadata.name"] = Name,
            ["status.phase"] = o => Path(o, "status", "phase"),
        });

        Add("", "Secret", Identity("metadata.name", "metadata.namespace", "type"), new()
        {
            ["metadata.name"] = Name,
            ["metadata.namespace"] = Namespace,
            ["type"] = o => Str(o, "type"),
        });

        Add("", "Service", Identity("metadata.name", "metadata.namespace", "spec.clusterIP", "spec.type"), new()
        {
            ["metadata.name"] = Name,
            ["metadata.namespace"] = Namespace,
            ["spec.clusterIP"] = o => Path(o, "spec", "clusterIP"),
            ["spec.type"] = o => Path(o, "spec", "type"),
        });

        var replicas = new Dictionary<string, Func<JsonObject, string>>
        {
            ["metadata.name"] = Name,
            ["metadata.namespace"] = Namespace,
            ["status.replicas"] = o => FormatInt(Int(Obj(o, "status"), "replicas")),
        };
        Add("", "ReplicationController", Identity("metadata.name", "metadata.namespace", "status.replicas"), replicas);
        Add("apps", "ReplicaSet", Identity("metadata.name", "metadata.namespace", "status.replicas"), replicas);

        Add(
            "batch",
            "Job",
            Identity("metadata.name", "metadata.namespace", "status.successful"),
            new()
            {
                ["metadata.name"] = Name,
                ["metadata.namespace"] = Namespace,
                ["status.successful"] = o => FormatInt(Int(Obj(o, "status"), "succeeded")),
            },
            static label => $"field label {GoFormat.Quote(label)} not supported for batchv1.Job");

        Add("certificates.k8s.io", "CertificateSigningRequest", Identity("metadata.name", "spec.signerName"), new()
        {
            ["metadata.name"] = Name,
            ["spec.signerName"] = o => Path(o, "spec", "signerName"),
        });

        // Events: core/v1 and events.k8s.io/v1 are one resource; both spellings of the object are read, so a
        // selector works whichever shape is stored.
        var eventExtractors = new Dictionary<string, Func<JsonObject, string>>
        {
            ["metadata.name"] = Name,
            ["metadata.namespace"] = Namespace,
            ["involvedObject.kind"] = o => Str(Regarding(o), "kind"),
            ["involvedObject.namespace"] = o => Str(Regarding(o), "namespace"),
            ["involvedObject.name"] = o => Str(Regarding(o), "name"),
            ["involvedObject.uid"] = o => Str(Regarding(o), "uid"),
            ["involvedObject.apiVersion"] = o => Str(Regarding(o), "apiVersion"),
            ["involvedObject.resourceVersion"] = o => Str(Regarding(o), "resourceVersion"),
            ["involvedObject.fieldPath"] = o => Str(Regarding(o), "fieldPath"),
            ["reason"] = o => Str(o, "reason"),
            ["reportingComponent"] = ReportingController,
            ["source"] = o =>
            {
                var component = Str(Obj(o, "source") ?? Obj(o, "deprecatedSource"), "component");
                return component.Length != 0 ? component : ReportingController(o);
            },
            ["type"] = o => Str(o, "type"),
        };
        Add(
            "",
            "Event",
            Identity(
                "metadata.name", "metadata.namespace", "involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
                "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
                "reason", "reportingComponent", "source", "type"),
            eventExtractors);
        Add(
            "events.k8s.io",
            "Event",
            new()
            {
                ["metadata.name"] = "metadata.name",
                ["metadata.namespace"] = "metadata.namespace",
                ["regarding.kind"] = "involvedObject.kind",
                ["regarding.namespace"] = "involvedObject.namespace",
                ["regarding.name"] = "involvedObject.name",
                ["regarding.uid"] = "involvedObject.uid",
                ["regarding.apiVersion"] = "involvedObject.apiVersion",
                ["regarding.resourceVersion"] = "involvedObject.resourceVersion",
                ["regarding.fieldPath"] = "involvedObject.fieldPath",
                ["reason"] = "reason",
                ["reportingController"] = "reportingComponent",
                ["source"] = "source",
                ["type"] = "type",
            },
            eventExtractors);

        return sets;
    }

    private static Dictionary<string, string> Identity(params string[] names) =>
        names.ToDictionary(n => n, n => n, StringComparer.Ordinal);

    private static string Name(JsonObject o) => Path(o, "metadata", "name");

    private static string Namespace(JsonObject o) => Path(o, "metadata", "namespace");

    private static JsonObject? Regarding(JsonObject o) => Obj(o, "involvedObject") ?? Obj(o, "regarding");

    private static string ReportingController(JsonObject o) => StrOrNull(o, "reportingComponent") ?? Str(o, "reportingController");

    private static string PodIP(JsonObject o)
    {
        var status = Obj(o, "status");
        if (Arr(status, "podIPs") is { Count: > 0 } ips && ips[0] is JsonObject first)
        {
            return Str(first, "ip");
        }

        return Str(status, "podIP");
    }

    private static string FormatBool(bool value) => value ? "true" : "false";

    private static string FormatInt(long value) => value.ToString(CultureInfo.InvariantCulture);
}
