using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Korral.Api.ManagedFields;
using Korral.Api.Schema;

namespace Korral.Api.Tests.ManagedFields;

/// <summary>A clock the tests move by hand.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(int seconds) => Now = Now.AddSeconds(seconds);
}

internal static class ManagedFieldsTestSupport
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    public static readonly GroupVersionKind Deployment = new("apps", "v1", "Deployment");
    public static readonly GroupVersionKind Pod = new("", "v1", "Pod");

    public static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Compact JSON without the serializer's default escaping of quotes and HTML characters.</summary>
    public static string Json(JsonNode? node) => node?.ToJsonString(Relaxed) ?? "null";

    public static (FieldManager Manager, ManualClock Clock) NewManager()
    {
        var clock = new ManualClock(T0);
        return (new FieldManager(GeneratedSchemaCatalog.Instance, clock), clock);
    }

    public static ApplyContext ApplyTo(GroupVersionKind kind) => new(kind);

    public static UpdateContext UpdateOf(GroupVersionKind kind) => new(kind);

    public static IReadOnlyList<ManagedFieldsEntry> Entries(JsonObject obj) =>
        ManagedFieldsCodec.Decode(obj["metadata"]?["managedFields"]);

    public static ManagedFieldsEntry Entry(JsonObject obj, string manager, string? operation = null) =>
        Entries(obj).Single(e => e.Manager == manager && (operation is null || e.Operation == operation));

    public static string FieldsOf(JsonObject obj, string manager, string? operation = null) =>
        Entry(obj, manager, operation).Fields.ToFieldsV1Json();

    /// <summary>A web Deployment as a user would write it.</summary>
    public static JsonObject WebDeployment(int replicas = 3, string image = "nginx:1.25") => Parse("""
        {"apiVersion":"apps/v1","kind":"Deployment",
         "metadata":{"name":"web","namespace":"demo","labels":{"app":"web"}},
         "spec":{"replicas":REPLICAS,"selector":{"matchLabels":{"app":"web"}},
          "template":{"metadata":{"labels":{"app":"web"}},
           "spec":{"containers":[{"name":"nginx","image":"IMAGE","ports":[{"containerPort":80}],
                                  "env":[{"name":"A","value":"1"}]}],
                   "volumes":[{"name":"data","emptyDir":{}}]}}}}
        """.Replace("REPLICAS", replicas.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("IMAGE", image, StringComparison.Ordinal));

    public static JsonObject Spec(JsonObject obj) => obj["spec"]!.AsObject();

    public static JsonArray Containers(JsonObject deployment) => deployment["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
}
