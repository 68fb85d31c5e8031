using System.Text.Json;
using Korral.Api.Resources;
using Korral.Api.Schema;

namespace Korral.ApiServer.OpenApi;

internal sealed partial class OpenApiV3Builder
{
    /// <summary>Marks a definition as used by an operation (so it and everything it reaches is written) and returns it.</summary>
    private string Reference(string schemaName)
    {
        _roots.Add(schemaName);
        return schemaName;
    }

    /// <summary>The list definition ("…DeploymentList"); synthesised from the item schema when the catalog has none.</summary>
    private string ListSchema(ResourceInfo resource)
    {
        var name = resource.SchemaName + "List";
        if (_schemas.Find(name) is null && !_syntheticLists.ContainsKey(name))
        {
            _syntheticLists.Add(name, resource);
        }

        return Reference(name);
    }

    /// <summary>The definition of a kind from another resource (autoscaling/v1 Scale, policy/v1 Eviction…), or null.</summary>
    private string? SchemaForKind(GroupVersionKind kind)
    {
        var schema = _schemas.FindByKind(kind);
        return schema is null ? null : Reference(schema.Name);
    }

    private void WriteSchemas(Utf8JsonWriter w)
    {
        w.WriteStartObject("schemas");
        foreach (var name in ReachableSchemas())
        {
            w.WritePropertyName(name);
            if (WellKnownSchemas.TryWrite(w, name))
            {
                continue;
            }

            if (_syntheticLists.TryGetValue(name, out var resource))
            {
                WriteSyntheticList(w, resource);
            }
            else if (_schemas.Find(name) is { } type)
            {
                WriteType(w, type);
            }
            else
            {
                // Referenced but unknown to the catalog: keep the document self-consistent and permissive.
                w.WriteStartObject();
                w.WriteString("type", "object");
                w.WriteBoolean("x-kubernetes-preserve-unknown-fields", true);
                w.WriteEndObject();
            }
        }

        w.WriteEndObject();
    }

    /// <summary>Every definition reachable from the operations' schemas, sorted by name.</summary>
    private SortedSet<string> ReachableSchemas()
    {
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(_roots);
        while (pending.TryPop(out var name))
        {
            if (!seen.Add(name) || WellKnownSchemas.IsWellKnown(name))
            {
                continue;
            }

            if (_syntheticLists.TryGetValue(name, out var resource))
            {
                pending.Push(resource.SchemaName);
                pending.Push(WellKnownSchemas.ListMeta);
                continue;
            }

            if (_schemas.Find(name) is not { } type)
            {
                continue;
            }

            foreach (var field in type.Properties.Values)
            {
                foreach (var reference in References(field))
                {
                    pending.Push(reference);
                }
            }
        }

        return seen;
    }

    private static IEnumerable<string> References(FieldSchema field)
    {
        for (var current = field; current is not null; current = current.Items)
        {
            var reference = ReferenceOf(current);
            if (reference is not null)
            {
                yield return reference;
            }
        }
    }

    /// <summary>The definition a field points at: its Ref for objects, the fixed one for IntOrString, Quantity, Time.</summary>
    private static string? ReferenceOf(FieldSchema field) =>
        WellKnownSchemas.ForKind(field.Kind) ?? (field.Kind is FieldKind.Object or FieldKind.Any ? field.Ref : null);

    /// <summary>
    /// x-kubernetes-map-type of definitions. Upstream declares it on the definition (LocalObjectReference,
    /// LabelSelector, ObjectReference…); the schema catalog carries it on the fields that reference the definition,
    /// so it is gathered back from them here, once per catalog.
    /// </summary>
    internal static IReadOnlyDictionary<string, string> DefinitionMapTypes(ISchemaCatalog schemas)
    {
        // A few fields override their definition's map type (PersistentVolumeSpec.claimRef is granular while
        // ObjectReference is atomic), so the definition takes the value most of its references carry.
        var votes = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        foreach (var type in schemas.Types.Values)
        {
            foreach (var field in type.Properties.Values)
            {
                for (var current = field; current is not null; current = current.Items)
                {
                    if (current.Kind == FieldKind.Object && current.Ref is not null && !string.IsNullOrEmpty(current.MapType))
                    {
                        if (!votes.TryGetValue(current.Ref, out var counts))
                        {
                            counts = new Dictionary<string, int>(StringComparer.Ordinal);
                            votes.Add(current.Ref, counts);
                        }

                        counts[current.MapType] = counts.GetValueOrDefault(current.MapType) + 1;
                    }
                }
            }
        }

        return votes.ToDictionary(
            v => v.Key,
            v => v.Value.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).First().Key,
            StringComparer.Ordinal);
    }

    private void WriteType(Utf8JsonWriter w, TypeSchema type)
    {
        w.WriteStartObject();
        if (type.Properties.Count > 0)
        {
            w.WriteStartObject("properties");
            foreach (var (name, field) in type.Properties.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                w.WritePropertyName(name);
                WriteField(w, field);
            }

            w.WriteEndObject();
        }

        if (type.Required.Count > 0)
        {
            w.WriteStartArray("required");
            foreach (var name in type.Required)
            {
                w.WriteStringValue(name);
            }

            w.WriteEndArray();
        }

        w.WriteString("type", "object");
        WriteKinds(w, type.Kinds);
        if (_mapTypes.TryGetValue(type.Name, out var mapType))
        {
            w.WriteString("x-kubernetes-map-type", mapType);
        }

        if (type.PreserveUnknownFields)
        {
            w.WriteBoolean("x-kubernetes-preserve-unknown-fields", true);
        }

        w.WriteEndObject();
    }

    private static void WriteSyntheticList(Utf8JsonWriter w, ResourceInfo resource)
    {
        w.WriteStartObject();
        w.WriteStartObject("properties");
        w.WriteStartObject("apiVersion");
        w.WriteString("type", "string");
        w.WriteEndObject();
        w.WriteStartObject("items");
        w.WriteStartObject("items");
        WriteAllOfReference(w, resource.SchemaName);
        w.WriteEndObject();
        w.WriteString("type", "array");
        w.WriteEndObject();
        w.WriteStartObject("kind");
        w.WriteString("type", "string");
        w.WriteEndObject();
        w.WriteStartObject("metadata");
        WriteAllOfReference(w, WellKnownSchemas.ListMeta);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartArray("required");
        w.WriteStringValue("items");
        w.WriteEndArray();
        w.WriteString("type", "object");
        WriteKinds(w, [new GroupVersionKind(resource.Group, resource.Version, resource.ListKind)]);
        w.WriteEndObject();
    }

    private static void WriteKinds(Utf8JsonWriter w, IReadOnlyList<GroupVersionKind> kinds)
    {
        if (kinds.Count == 0)
        {
            return;
        }

        w.WriteStartArray("x-kubernetes-group-version-kind");
        foreach (var kind in kinds)
        {
            w.WriteStartObject();
            WriteGroupVersionKindBody(w, kind);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>
    /// One property, list element or map value. References are wrapped in allOf as upstream's v3 documents do, so
    /// that the patch extensions can sit beside them.
    /// </summary>
    private void WriteField(Utf8JsonWriter w, FieldSchema? field)
    {
        w.WriteStartObject();
        if (field is null)
        {
            w.WriteBoolean("x-kubernetes-preserve-unknown-fields", true);
            w.WriteEndObject();
            return;
        }

        var reference = ReferenceOf(field);
        if (reference is not null)
        {
            WriteAllOfReference(w, reference);
        }
        else
        {
            switch (field.Kind)
            {
                case FieldKind.String:
                    WriteFormat(w, field.Format);
                    w.WriteString("type", "string");
                    break;
                case FieldKind.Integer:
                    WriteFormat(w, field.Format);
                    w.WriteString("type", "integer");
                    break;
                case FieldKind.Number:
                    WriteFormat(w, field.Format ?? "double");
                    w.WriteString("type", "number");
                    break;
                case FieldKind.Boolean:
                    w.WriteString("type", "boolean");
                    break;
                case FieldKind.Bytes:
                    w.WriteString("format", "byte");
                    w.WriteString("type", "string");
                    break;
                case FieldKind.Array:
                    w.WritePropertyName("items");
                    WriteField(w, field.Items);
                    w.WriteString("type", "array");
                    break;
                case FieldKind.Map:
                    w.WritePropertyName("additionalProperties");
                    WriteField(w, field.Items);
                    w.WriteString("type", "object");
                    break;
                case FieldKind.Object:
                    w.WriteString("type", "object");
                    break;
                default:
                    w.WriteBoolean("x-kubernetes-preserve-unknown-fields", true);
                    break;
            }
        }

        if (field.Enum is { Count: > 0 } values && field.Kind == FieldKind.String)
        {
            w.WriteStartArray("enum");
            foreach (var value in values)
            {
                w.WriteStringValue(value);
            }

            w.WriteEndArray();
        }

        if (field.ListMapKeys is { Count: > 0 } keys)
        {
            w.WriteStartArray("x-kubernetes-list-map-keys");
            foreach (var key in keys)
            {
                w.WriteStringValue(key);
            }

            w.WriteEndArray();
        }

        WriteOptional(w, "x-kubernetes-list-type", field.ListType);

        // On a reference the map type belongs to the definition (see WriteType), unless this field overrides it.
        if (field.Kind != FieldKind.Object || field.Ref is null || _mapTypes.GetValueOrDefault(field.Ref) != field.MapType)
        {
            WriteOptional(w, "x-kubernetes-map-type", field.MapType);
        }

        WriteOptional(w, "x-kubernetes-patch-merge-key", field.PatchMergeKey);
        WriteOptional(w, "x-kubernetes-patch-strategy", field.PatchStrategy);
        w.WriteEndObject();
    }

    private static void WriteAllOfReference(Utf8JsonWriter w, string schemaName)
    {
        w.WriteStartArray("allOf");
        w.WriteStartObject();
        w.WriteString("$ref", SchemaPrefix + schemaName);
        w.WriteEndObject();
        w.WriteEndArray();
    }

    private static void WriteFormat(Utf8JsonWriter w, string? format)
    {
        if (!string.IsNullOrEmpty(format))
        {
            w.WriteString("format", format);
        }
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            w.WriteString(name, value);
        }
    }
}
