using System.Text.Encodings.Web;
using System.Text.Json;
using Korral.Api.Resources;
using Korral.Api.Schema;

namespace Korral.ApiServer.Discovery;

/// <summary>Writes the discovery bodies (legacy and aggregated) as compact UTF-8 JSON, field order as upstream.</summary>
internal static class DiscoveryJson
{
    public static byte[] ApiVersions(IEnumerable<string> versions, string? serverAddress) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("kind", "APIVersions");
        WriteStrings(w, "versions", versions);
        if (serverAddress is not null)
        {
            WriteServerAddresses(w, serverAddress);
        }

        w.WriteEndObject();
    });

    public static byte[] ApiGroupList(IEnumerable<ApiGroupInfo> groups) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("kind", "APIGroupList");
        w.WriteString("apiVersion", "v1");
        w.WriteStartArray("groups");
        foreach (var group in groups)
        {
            w.WriteStartObject();
            WriteGroupBody(w, group);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });

    public static byte[] ApiGroup(ApiGroupInfo group) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("kind", "APIGroup");
        w.WriteString("apiVersion", "v1");
        WriteGroupBody(w, group);
        w.WriteEndObject();
    });

    public static byte[] ResourceList(string groupVersion, IReadOnlyList<ResourceInfo> resources) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("kind", "APIResourceList");
        w.WriteString("apiVersion", "v1");
        w.WriteString("groupVersion", groupVersion);
        w.WriteStartArray("resources");
        foreach (var resource in resources)
        {
            w.WriteStartObject();
            w.WriteString("name", resource.Plural);
            w.WriteString("singularName", resource.Singular);
            w.WriteBoolean("namespaced", resource.Namespaced);
            w.WriteString("kind", resource.Kind);
            WriteStrings(w, "verbs", resource.Verbs);
            WriteStringsIfAny(w, "shortNames", resource.ShortNames);
            WriteStringsIfAny(w, "categories", resource.Categories);
            w.WriteEndObject();

            foreach (var sub in resource.Subresources)
            {
                w.WriteStartObject();
                w.WriteString("name", $"{resource.Plural}/{sub.Name}");
                w.WriteString("singularName", "");
                w.WriteBoolean("namespaced", resource.Namespaced);
                if (sub.ResponseKind.Group != resource.Group || sub.ResponseKind.Version != resource.Version)
                {
                    w.WriteString("group", sub.ResponseKind.Group);
                    w.WriteString("version", sub.ResponseKind.Version);
                }

                w.WriteString("kind", sub.ResponseKind.Kind);
                WriteStrings(w, "verbs", sub.Verbs);
                w.WriteEndObject();
            }
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });

    /// <summary>An APIGroupDiscoveryList: one item per group (the core group as the single item named "").</summary>
    public static byte[] Aggregated(DiscoveryFormat format, IEnumerable<ApiGroupInfo> groups, IResourceCatalog catalog) =>
        Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("kind", DiscoveryNegotiation.AggregatedKind);
            w.WriteString("apiVersion", DiscoveryNegotiation.AggregatedApiVersion(format));
            w.WriteStartObject("metadata");
            w.WriteEndObject();
            w.WriteStartArray("items");
            foreach (var group in groups)
            {
                w.WriteStartObject();
                w.WriteStartObject("metadata");
                w.WriteString("name", group.Name);
                w.WriteEndObject();
                w.WriteStartArray("versions");
                foreach (var version in group.Versions)
                {
                    w.WriteStartObject();
                    w.WriteString("version", version);
                    w.WriteStartArray("resources");
                    foreach (var resource in catalog.ForGroupVersion(group.Name, version))
                    {
                        WriteAggregatedResource(w, resource);
                    }

                    w.WriteEndArray();
                    w.WriteString("freshness", "Current");
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });

    private static void WriteAggregatedResource(Utf8JsonWriter w, ResourceInfo resource)
    {
        w.WriteStartObject();
        w.WriteString("resource", resource.Plural);
        WriteKind(w, "responseKind", resource.GroupVersionKind);
        w.WriteString("scope", resource.Namespaced ? "Namespaced" : "Cluster");
        w.WriteString("singularResource", resource.Singular);
        WriteStrings(w, "verbs", resource.Verbs);
        WriteStringsIfAny(w, "shortNames", resource.ShortNames);
        WriteStringsIfAny(w, "categories", resource.Categories);
        if (resource.Subresources.Count > 0)
        {
            w.WriteStartArray("subresources");
            foreach (var sub in resource.Subresources)
            {
                w.WriteStartObject();
                w.WriteString("subresource", sub.Name);
                WriteKind(w, "responseKind", sub.ResponseKind);
                WriteStrings(w, "verbs", sub.Verbs);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    private static void WriteGroupBody(Utf8JsonWriter w, ApiGroupInfo group)
    {
        w.WriteString("name", group.Name);
        w.WriteStartArray("versions");
        foreach (var version in group.Versions)
        {
            WriteGroupVersion(w, null, group, version);
        }

        w.WriteEndArray();
        WriteGroupVersion(w, "preferredVersion", group, group.PreferredVersion);
    }

    private static void WriteGroupVersion(Utf8JsonWriter w, string? propertyName, ApiGroupInfo group, string version)
    {
        if (propertyName is null)
        {
            w.WriteStartObject();
        }
        else
        {
            w.WriteStartObject(propertyName);
        }

        w.WriteString("groupVersion", group.GroupVersion(version));
        w.WriteString("version", version);
        w.WriteEndObject();
    }

    private static void WriteKind(Utf8JsonWriter w, string propertyName, GroupVersionKind kind)
    {
        w.WriteStartObject(propertyName);
        w.WriteString("group", kind.Group);
        w.WriteString("version", kind.Version);
        w.WriteString("kind", kind.Kind);
        w.WriteEndObject();
    }

    private static void WriteServerAddresses(Utf8JsonWriter w, string serverAddress)
    {
        w.WriteStartArray("serverAddressByClientCIDRs");
        w.WriteStartObject();
        w.WriteString("clientCIDR", "0.0.0.0/0");
        w.WriteString("serverAddress", serverAddress);
        w.WriteEndObject();
        w.WriteEndArray();
    }

    private static void WriteStrings(Utf8JsonWriter w, string propertyName, IEnumerable<string> values)
    {
        w.WriteStartArray(propertyName);
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }

        w.WriteEndArray();
    }

    private static void WriteStringsIfAny(Utf8JsonWriter w, string propertyName, IReadOnlyList<string> values)
    {
        if (values.Count > 0)
        {
            WriteStrings(w, propertyName, values);
        }
    }

    internal static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
