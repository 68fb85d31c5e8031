using System.Text.Json;
using Korral.Api.Schema;

namespace Korral.ApiServer.OpenApi;

/// <summary>
/// Definitions that the schema catalog models as field kinds rather than named types (IntOrString, Quantity, Time,
/// MicroTime) or that only operations use (Patch). They are written in upstream's v3 shape whatever the catalog holds.
/// </summary>
internal static class WellKnownSchemas
{
    public const string IntOrString = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
    public const string Quantity = "io.k8s.apimachinery.pkg.api.resource.Quantity";
    public const string Time = "io.k8s.apimachinery.pkg.apis.meta.v1.Time";
    public const string MicroTime = "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime";
    public const string Patch = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch";
    public const string DeleteOptions = "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions";
    public const string Status = "io.k8s.apimachinery.pkg.apis.meta.v1.Status";
    public const string ListMeta = "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta";

    /// <summary>The definition a field kind stands for, or null for kinds written inline.</summary>
    public static string? ForKind(FieldKind kind) => kind switch
    {
        FieldKind.IntOrString => IntOrString,
        FieldKind.Quantity => Quantity,
        FieldKind.Time => Time,
        FieldKind.MicroTime => MicroTime,
        _ => null,
    };

    /// <summary>Writes the fixed definition when <paramref name="name"/> is one of ours; false otherwise.</summary>
    public static bool TryWrite(Utf8JsonWriter w, string name)
    {
        switch (name)
        {
            case IntOrString:
                w.WriteStartObject();
                w.WriteString("format", "int-or-string");
                w.WriteStartArray("oneOf");
                WriteType(w, "integer");
                WriteType(w, "string");
                w.WriteEndArray();
                w.WriteEndObject();
                return true;
            case Quantity:
                w.WriteStartObject();
                w.WriteStartArray("oneOf");
                WriteType(w, "string");
                WriteType(w, "number");
                w.WriteEndArray();
                w.WriteEndObject();
                return true;
            case Time:
            case MicroTime:
                w.WriteStartObject();
                w.WriteString("format", "date-time");
                w.WriteString("type", "string");
                w.WriteEndObject();
                return true;
            case Patch:
                w.WriteStartObject();
                w.WriteString("type", "object");
                w.WriteEndObject();
                return true;
            default:
                return false;
        }
    }

    public static bool IsWellKnown(string name) => name is IntOrString or Quantity or Time or MicroTime or Patch;

    private static void WriteType(Utf8JsonWriter w, string type)
    {
        w.WriteStartObject();
        w.WriteString("type", type);
        w.WriteEndObject();
    }
}
