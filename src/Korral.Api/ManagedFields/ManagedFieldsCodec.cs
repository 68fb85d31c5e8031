using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Korral.Api.ManagedFields;

/// <summary>Reads and writes <c>metadata.managedFields</c> with upstream's rules and ordering.</summary>
public static class ManagedFieldsCodec
{
    public const string FieldsV1 = "FieldsV1";

    /// <summary>
    /// Decodes a managedFields list. Throws <see cref="FormatException"/> as upstream refuses: an operation other than
    /// Apply or Update, an empty apiVersion, a fieldsType other than FieldsV1, or malformed fields. A later entry with
    /// the same identity replaces an earlier one.
    /// </summary>
    public static IReadOnlyList<ManagedFieldsEntry> Decode(JsonNode? managedFields) => DecodeMap(managedFields).Values.ToList();

    internal static Dictionary<ManagerKey, ManagedFieldsEntry> DecodeMap(JsonNode? managedFields) => DecodeMap(managedFields, null);

    /// <summary>
    /// Decodes, and when <paramref name="reusable"/> is given, remembers each entry's fieldsV1 node if it is written
    /// exactly as it would be encoded, so that an unchanged entry can take the node back instead of re-encoding it.
    /// </summary>
    internal static Dictionary<ManagerKey, ManagedFieldsEntry> DecodeMap(JsonNode? managedFields,
        Dictionary<ManagerKey, (ManagedFieldsEntry Entry, JsonObject FieldsV1)>? reusable)
    {
        var result = new Dictionary<ManagerKey, ManagedFieldsEntry>();
        if (Typed.IsNull(managedFields))
        {
            return result;
        }

        if (managedFields is not JsonArray list)
        {
            throw new FormatException("managedFields must be a list");
        }

        for (var i = 0; i < list.Count; i++)
        {
            var entry = DecodeEntry(list[i], i, out var canonical);
            result[entry.Key] = entry;
            if (reusable is not null)
            {
                if (canonical && list[i]!["fieldsV1"] is JsonObject fieldsV1)
                {
                    reusable[entry.Key] = (entry, fieldsV1);
                }
                else
                {
                    reusable.Remove(entry.Key);
                }
            }
        }

        return result;
    }

    private static ManagedFieldsEntry DecodeEntry(JsonNode? node, int index, out bool canonical)
    {
        if (node is not JsonObject obj)
        {
            throw new FormatException($"managed fields entry {index} must be an object");
        }

        var operation = Str(obj, "operation");
        if (operation is not (ManagedFieldsEntry.ApplyOperation or ManagedFieldsEntry.UpdateOperation))
        {
            throw new FormatException("operation must be `Apply` or `Update`");
        }

        var apiVersion = Str(obj, "apiVersion");
        if (apiVersion.Length == 0)
        {
            throw new FormatException("apiVersion must not be empty");
        }

        var fieldsType = Str(obj, "fieldsType");
        if (fieldsType.Length == 0)
        {
            throw new FormatException($"missing fieldsType in managed fields entry {index}");
        }

        if (fieldsType != FieldsV1)
        {
            throw new FormatException($"invalid fieldsType \"{fieldsType}\" in managed fields entry {index}");
        }

        DateTimeOffset? time = null;
        if (!Typed.IsNull(obj["time"]))
        {
            var text = Str(obj, "time");
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
            {
                throw new FormatException($"invalid time \"{text}\" in managed fields entry {index}");
            }

            time = Truncate(t);
        }

        var fields = FieldSet.FromFieldsV1(obj["fieldsV1"], out canonical);
        return new ManagedFieldsEntry(Str(obj, "manager"), operation, apiVersion, time, fields, Str(obj, "subresource"));
    }

    private static string Str(JsonObject obj, string key)
    {
        var value = obj[key];
        if (Typed.IsNull(value))
        {
            return "";
        }

        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            return v.GetValue<string>();
        }

        throw new FormatException($"{key} must be a string");
    }

    /// <summary>Whole seconds, UTC: managedFields times are metav1.Time.</summary>
    internal static DateTimeOffset Truncate(DateTimeOffset t)
    {
        var utc = t.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }

    /// <summary>
    /// Encodes entries in upstream's order: Apply before Update, then by time (oldest first, no time first), manager,
    /// apiVersion and subresource. Null when there is nothing to encode (the field is then left out).
    /// </summary>
    public static JsonArray? Encode(IEnumerable<ManagedFieldsEntry> entries) => Encode(entries, null);

    /// <summary>Encodes; entries still identical to a decoded one take its fieldsV1 node (detached from where it was).</summary>
    internal static JsonArray? Encode(IEnumerable<ManagedFieldsEntry> entries,
        Dictionary<ManagerKey, (ManagedFieldsEntry Entry, JsonObject FieldsV1)>? reusable)
    {
        var sorted = entries.ToList();
        if (sorted.Count == 0)
        {
            return null;
        }

        sorted.Sort(Order);
        var list = new JsonArray();
        foreach (var e in sorted)
        {
            JsonObject? fieldsV1 = null;
            if (reusable is not null && reusable.TryGetValue(e.Key, out var old) && ReferenceEquals(old.Entry, e)
                && old.FieldsV1.Parent is JsonObject parent)
            {
                parent.Remove("fieldsV1");
                fieldsV1 = old.FieldsV1;
            }

            list.Add(EncodeEntry(e, fieldsV1));
        }

        return list;
    }

    internal static int Order(ManagedFieldsEntry p, ManagedFieldsEntry q)
    {
        var c = JsonValues.CompareStrings(p.Operation, q.Operation);
        if (c != 0)
        {
            return c;
        }

        c = Seconds(p.Time).CompareTo(Seconds(q.Time));
        if (c != 0)
        {
            return c;
        }

        c = JsonValues.CompareStrings(p.Manager, q.Manager);
        if (c != 0)
        {
            return c;
        }

        c = JsonValues.CompareStrings(p.ApiVersion, q.ApiVersion);
        return c != 0 ? c : JsonValues.CompareStrings(p.Subresource, q.Subresource);
    }

    internal static long Seconds(DateTimeOffset? t) => t?.ToUnixTimeSeconds() ?? 0;

    private static JsonObject EncodeEntry(ManagedFieldsEntry e, JsonObject? fieldsV1)
    {
        var obj = new JsonObject();
        if (e.Manager.Length > 0)
        {
            obj["manager"] = e.Manager;
        }

        obj["operation"] = e.Operation;
        obj["apiVersion"] = e.ApiVersion;
        if (e.Time is { } t)
        {
            obj["time"] = FormatTime(t);
        }

        obj["fieldsType"] = FieldsV1;
        obj["fieldsV1"] = fieldsV1 ?? e.Fields.ToFieldsV1();
        if (e.Subresource.Length > 0)
        {
            obj["subresource"] = e.Subresource;
        }

        return obj;
    }

    /// <summary>RFC 3339 in UTC with whole seconds, as metav1.Time is written.</summary>
    public static string FormatTime(DateTimeOffset t) =>
        t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
