using System.Text.Json;
using Korral.Api.Resources;
using Korral.Api.Schema;

namespace Korral.ApiServer.OpenApi;

internal sealed partial class OpenApiV3Builder
{
    private const string SchemaPrefix = "#/components/schemas/";

    private static readonly string[] ObjectMediaTypes = ["application/json", "application/yaml"];

    private static readonly string[] PatchMediaTypes =
    [
        "application/apply-patch+yaml",
        "application/json-patch+json",
        "application/merge-patch+json",
        "application/strategic-merge-patch+json",
    ];

    private static readonly Parameter Pretty = Query("pretty");

    private static readonly Parameter[] ListParameters =
    [
        Query("allowWatchBookmarks", "boolean"), Query("continue"), Query("fieldSelector"), Query("labelSelector"),
        Query("limit", "integer"), Query("resourceVersion"), Query("resourceVersionMatch"),
        Query("sendInitialEvents", "boolean"), Query("timeoutSeconds", "integer"), Query("watch", "boolean"),
    ];

    private static readonly Parameter[] WriteParameters = [Query("dryRun"), Query("fieldManager"), Query("fieldValidation")];

    private static readonly Parameter[] PatchParameters =
        [Query("dryRun"), Query("fieldManager"), Query("fieldValidation"), Query("force", "boolean")];

    private static readonly Parameter[] DeleteParameters =
    [
        Query("dryRun"), Query("gracePeriodSeconds", "integer"), Query("orphanDependents", "boolean"),
        Query("propagationPolicy"),
    ];

    private static readonly Parameter[] DeleteCollectionParameters =
    [
        Query("continue"), Query("dryRun"), Query("fieldSelector"), Query("gracePeriodSeconds", "integer"),
        Query("labelSelector"), Query("limit", "integer"), Query("orphanDependents", "boolean"),
        Query("propagationPolicy"), Query("resourceVersion"), Query("resourceVersionMatch"),
        Query("sendInitialEvents", "boolean"), Query("timeoutSeconds", "integer"),
    ];

    private static readonly Parameter[] LogParameters =
    [
        Query("container"), Query("follow", "boolean"), Query("insecureSkipTLSVerifyBackend", "boolean"),
        Query("limitBytes", "integer"), Query("previous", "boolean"), Query("sinceSeconds", "integer"),
        Query("stream"), Query("tailLines", "integer"), Query("timestamps", "boolean"),
    ];

    private static readonly Parameter[] ExecParameters =
    [
        Query("command"), Query("container"), Query("stderr", "boolean"), Query("stdin", "boolean"),
        Query("stdout", "boolean"), Query("tty", "boolean"),
    ];

    private static readonly Parameter[] AttachParameters =
    [
        Query("container"), Query("stderr", "boolean"), Query("stdin", "boolean"), Query("stdout", "boolean"),
        Query("tty", "boolean"),
    ];

    private static readonly Parameter[] PortForwardParameters = [Query("ports", "integer")];

    private static readonly string[] ProxyMethods = ["delete", "get", "head", "options", "patch", "post", "put"];

    private enum Body
    {
        None,
        Object,
        Patch,
        DeleteOptions,
    }

    private enum ResponseShape
    {
        /// <summary>The operation's response schema, as JSON or YAML.</summary>
        Object,

        /// <summary>The list schema; also a watch stream.</summary>
        List,

        /// <summary>A plain-text stream (logs).</summary>
        Text,

        /// <summary>Anything (streams and proxied answers).</summary>
        Opaque,
    }

    private sealed record Parameter(string Name, string In, string Type, bool Required);

    private sealed record Operation(string Method, string Action, string Id, GroupVersionKind Kind)
    {
        public IReadOnlyList<Parameter> Parameters { get; init; } = [];

        public Body Body { get; init; }

        /// <summary>The schema of an Object body.</summary>
        public string? BodySchema { get; init; }

        public ResponseShape Response { get; init; }

        /// <summary>The schema of Object and List responses; null writes an untyped object.</summary>
        public string? ResponseSchema { get; init; }

        public IReadOnlyList<int> Statuses { get; init; } = [200];
    }

    /// <summary>The parts of upstream's operation ids: "CoreV1", "Namespaced" or "", "Pod".</summary>
    private sealed record OperationNames(string GroupVersion, string Scope, string Kind)
    {
        public override string ToString() => GroupVersion + Scope + Kind;
    }

    private sealed class PathItem
    {
        public List<Parameter> Parameters { get; } = [];

        public List<Operation> Operations { get; } = [];
    }

    private static Parameter Query(string name, string type = "string") => new(name, "query", type, false);

    private static Parameter PathParameter(string name) => new(name, "path", "string", true);

    private void AddResource(ResourceInfo resource)
    {
        var kind = resource.GroupVersionKind;
        var root = _group.Length == 0 ? $"/api/{_version}" : $"/apis/{_group}/{_version}";
        var scoped = resource.Namespaced ? root + "/namespaces/{namespace}" : root;
        var collection = $"{scoped}/{resource.Plural}";
        var item = collection + "/{name}";
        var scope = resource.Namespaced ? "Namespaced" : "";
        var id = $"{_groupId}{_versionId}";
        var schema = Reference(resource.SchemaName);

        List<Parameter> scopeParameters = resource.Namespaced ? [PathParameter("namespace")] : [];
        List<Parameter> itemParameters = [PathParameter("name"), .. scopeParameters];

        var collectionOps = new List<Operation>();
        if (resource.Supports("list"))
        {
            collectionOps.Add(new Operation("get", "list", $"list{id}{scope}{resource.Kind}", kind)
            {
                Parameters = ListParameters,
                Response = ResponseShape.List,
                ResponseSchema = ListSchema(resource),
            });
        }

        if (resource.Supports("create"))
        {
            collectionOps.Add(new Operation("post", "post", $"create{id}{scope}{resource.Kind}", kind)
            {
                Parameters = WriteParameters,
                Body = Body.Object,
                BodySchema = schema,
                ResponseSchema = schema,
                Statuses = [200, 201, 202],
            });
        }

        if (resource.Supports("deletecollection"))
        {
            collectionOps.Add(new Operation("delete", "deletecollection", $"delete{id}Collection{scope}{resource.Kind}", kind)
            {
                Parameters = DeleteCollectionParameters,
                Body = Body.DeleteOptions,
                ResponseSchema = Reference(WellKnownSchemas.Status),
            });
        }

        AddPath(collection, [.. scopeParameters, Pretty], collectionOps);

        if (resource.Namespaced && resource.Supports("list"))
        {
            AddPath($"{root}/{resource.Plural}", [Pretty],
            [
                new Operation("get", "list", $"list{id}{resource.Kind}ForAllNamespaces", kind)
                {
                    Parameters = ListParameters,
                    Response = ResponseShape.List,
                    ResponseSchema = ListSchema(resource),
                },
            ]);
        }

        var names = new OperationNames(id, scope, resource.Kind);
        AddPath(item, [.. itemParameters, Pretty], ObjectOperations(resource.Verbs, names, "", kind, schema));

        foreach (var sub in resource.Subresources)
        {
            AddSubresource(resource, sub, item, itemParameters, names);
        }
    }

    private void AddSubresource(
        ResourceInfo resource, SubresourceInfo sub, string item, List<Parameter> itemParameters, OperationNames names)
    {
        var path = $"{item}/{sub.Name}";
        var suffix = Pascal(sub.Name);
        var kind = sub.ResponseKind;
        switch (sub.Name)
        {
            case "log":
                AddPath(path, [.. itemParameters, Pretty],
                [
                    new Operation("get", "get", $"read{names}Log", kind)
                    {
                        Parameters = LogParameters,
                        Response = ResponseShape.Text,
                    },
                ]);
                return;
            case "exec" or "attach" or "portforward":
                var parameters = sub.Name switch
                {
                    "exec" => ExecParameters,
                    "attach" => AttachParameters,
                    _ => PortForwardParameters,
                };
                AddPath(path, itemParameters, ConnectOperations(["get", "post"], names, suffix, kind, parameters));
                return;
            case "proxy":
                AddPath(path, itemParameters, ConnectOperations(ProxyMethods, names, suffix, kind, [Query("path")]));
                AddPath(path + "/{path}", [.. itemParameters, PathParameter("path")],
                    ConnectOperations(ProxyMethods, names, suffix + "WithPath", kind, [Query("path")]));
                return;
        }

        var schema = kind == resource.GroupVersionKind ? Reference(resource.SchemaName) : SchemaForKind(kind);
        AddPath(path, [.. itemParameters, Pretty], ObjectOperations(sub.Verbs, names, suffix, kind, schema));
    }

    /// <summary>read, replace, patch, delete and (for subresources such as eviction) create on one object path.</summary>
    private List<Operation> ObjectOperations(
        IReadOnlyList<string> verbs, OperationNames names, string suffix, GroupVersionKind kind, string? schema)
    {
        var operations = new List<Operation>();
        if (verbs.Contains("get"))
        {
            operations.Add(new Operation("get", "get", $"read{names}{suffix}", kind) { ResponseSchema = schema });
        }

        if (verbs.Contains("update"))
        {
            operations.Add(new Operation("put", "put", $"replace{names}{suffix}", kind)
            {
                Parameters = WriteParameters,
                Body = Body.Object,
                BodySchema = schema,
                ResponseSchema = schema,
                Statuses = [200, 201],
            });
        }

        if (verbs.Contains("patch"))
        {
            operations.Add(new Operation("patch", "patch", $"patch{names}{suffix}", kind)
            {
                Parameters = PatchParameters,
                Body = Body.Patch,
                ResponseSchema = schema,
                Statuses = [200, 201],
            });
        }

        if (verbs.Contains("delete"))
        {
            operations.Add(new Operation("delete", "delete", $"delete{names}{suffix}", kind)
            {
                Parameters = DeleteParameters,
                Body = Body.DeleteOptions,
                ResponseSchema = Reference(WellKnownSchemas.Status),
                Statuses = [200, 202],
            });
        }

        // On an object path, create only exists for subresources (binding, eviction, token).
        if (suffix.Length > 0 && verbs.Contains("create"))
        {
            operations.Add(new Operation("post", "post", $"create{names}{suffix}", kind)
            {
                Parameters = WriteParameters,
                Body = Body.Object,
                BodySchema = schema,
                ResponseSchema = schema,
                Statuses = [200, 201, 202],
            });
        }

        return operations;
    }

    private static List<Operation> ConnectOperations(
        IEnumerable<string> methods, OperationNames names, string suffix, GroupVersionKind kind,
        IReadOnlyList<Parameter> parameters) =>
        methods.Select(method =>
            new Operation(method, "connect", $"connect{names.GroupVersion}{Pascal(method)}{names.Scope}{names.Kind}{suffix}", kind)
            {
                Parameters = parameters,
                Response = ResponseShape.Opaque,
            }).ToList();

    private void AddPath(string path, List<Parameter> parameters, List<Operation> operations)
    {
        if (operations.Count == 0)
        {
            return;
        }

        if (!_paths.TryGetValue(path, out var item))
        {
            item = new PathItem();
            item.Parameters.AddRange(parameters);
            _paths.Add(path, item);
        }

        item.Operations.AddRange(operations);
    }

    private void WritePaths(Utf8JsonWriter w)
    {
        w.WriteStartObject("paths");
        foreach (var (path, item) in _paths)
        {
            w.WriteStartObject(path);
            WriteParameterList(w, item.Parameters);
            foreach (var operation in item.Operations.OrderBy(o => o.Method, StringComparer.Ordinal))
            {
                WriteOperation(w, operation);
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private void WriteOperation(Utf8JsonWriter w, Operation operation)
    {
        w.WriteStartObject(operation.Method);
        w.WriteString("operationId", operation.Id);
        WriteParameterList(w, operation.Parameters);
        switch (operation.Body)
        {
            case Body.Object:
                w.WriteStartObject("requestBody");
                WriteContent(w, ["*/*"], operation.BodySchema);
                w.WriteBoolean("required", true);
                w.WriteEndObject();
                break;
            case Body.Patch:
                w.WriteStartObject("requestBody");
                WriteContent(w, PatchMediaTypes, Reference(WellKnownSchemas.Patch));
                w.WriteBoolean("required", true);
                w.WriteEndObject();
                break;
            case Body.DeleteOptions:
                w.WriteStartObject("requestBody");
                WriteContent(w, ["*/*"], Reference(WellKnownSchemas.DeleteOptions));
                w.WriteEndObject();
                break;
        }

        w.WriteStartObject("responses");
        foreach (var status in operation.Statuses)
        {
            w.WriteStartObject(status.ToString(System.Globalization.CultureInfo.InvariantCulture));
            w.WriteString("description", status switch { 201 => "Created", 202 => "Accepted", _ => "OK" });
            switch (operation.Response)
            {
                case ResponseShape.Object:
                    WriteContent(w, ObjectMediaTypes, operation.ResponseSchema);
                    break;
                case ResponseShape.List:
                    WriteContent(w, [.. ObjectMediaTypes, "application/json;stream=watch"], operation.ResponseSchema);
                    break;
                case ResponseShape.Text:
                    WriteStringContent(w, "text/plain");
                    break;
                case ResponseShape.Opaque:
                    WriteStringContent(w, "*/*");
                    break;
            }

            w.WriteEndObject();
        }

        w.WriteStartObject("401");
        w.WriteString("description", "Unauthorized");
        w.WriteEndObject();
        w.WriteEndObject();

        w.WriteStartArray("tags");
        w.WriteStringValue(_tag);
        w.WriteEndArray();
        w.WriteString("x-kubernetes-action", operation.Action);
        WriteGroupVersionKind(w, "x-kubernetes-group-version-kind", operation.Kind);
        w.WriteEndObject();
    }

    private static void WriteParameterList(Utf8JsonWriter w, IReadOnlyList<Parameter> parameters)
    {
        if (parameters.Count == 0)
        {
            return;
        }

        w.WriteStartArray("parameters");
        foreach (var parameter in parameters)
        {
            w.WriteStartObject();
            w.WriteString("in", parameter.In);
            w.WriteString("name", parameter.Name);
            if (parameter.Required)
            {
                w.WriteBoolean("required", true);
            }

            w.WriteStartObject("schema");
            w.WriteString("type", parameter.Type);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteContent(Utf8JsonWriter w, IEnumerable<string> mediaTypes, string? schema)
    {
        w.WriteStartObject("content");
        foreach (var mediaType in mediaTypes)
        {
            w.WriteStartObject(mediaType);
            w.WriteStartObject("schema");
            if (schema is null)
            {
                w.WriteString("type", "object");
            }
            else
            {
                w.WriteString("$ref", SchemaPrefix + schema);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void WriteStringContent(Utf8JsonWriter w, string mediaType)
    {
        w.WriteStartObject("content");
        w.WriteStartObject(mediaType);
        w.WriteStartObject("schema");
        w.WriteString("type", "string");
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    internal static void WriteGroupVersionKind(Utf8JsonWriter w, string propertyName, GroupVersionKind kind)
    {
        w.WriteStartObject(propertyName);
        WriteGroupVersionKindBody(w, kind);
        w.WriteEndObject();
    }

    private static void WriteGroupVersionKindBody(Utf8JsonWriter w, GroupVersionKind kind)
    {
        w.WriteString("group", kind.Group);
        w.WriteString("kind", kind.Kind);
        w.WriteString("version", kind.Version);
    }
}
