using System.Text.Json.Nodes;

namespace Korral.ApiServer.Tests.Fixtures;

/// <summary>Minimal valid manifests of the kinds the tests write, as JSON trees.</summary>
public static class Objects
{
    public static JsonObject ConfigMap(string name, JsonObject? data = null, JsonObject? labels = null) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = Metadata(name, labels),
        ["data"] = data ?? new JsonObject { ["k"] = "v" },
    };

    public static JsonObject Secret(string name) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Secret",
        ["metadata"] = Metadata(name),
        ["type"] = "Opaque",
        ["data"] = new JsonObject { ["password"] = Convert.ToBase64String("s3cret"u8.ToArray()) },
    };

    public static JsonObject Pod(string name, JsonObject? labels = null, string? nodeName = null)
    {
        var spec = new JsonObject
        {
            ["containers"] = new JsonArray(new JsonObject { ["name"] = "main", ["image"] = "busybox:1.36" }),
        };
        if (nodeName is not null)
        {
            spec["nodeName"] = nodeName;
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = Metadata(name, labels),
            ["spec"] = spec,
        };
    }

    public static JsonObject Deployment(string name, int replicas = 1) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "Deployment",
        ["metadata"] = Metadata(name, new JsonObject { ["app"] = name }),
        ["spec"] = new JsonObject
        {
            ["replicas"] = replicas,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } },
                ["spec"] = new JsonObject
                {
                    ["containers"] = new JsonArray(new JsonObject { ["name"] = "web", ["image"] = "nginx:1.27" }),
                },
            },
        },
    };

    public static JsonObject Service(string name, string type = "ClusterIP", int? nodePort = null)
    {
        var port = new JsonObject { ["port"] = 80, ["protocol"] = "TCP", ["targetPort"] = 8080 };
        if (nodePort is { } n)
        {
            port["nodePort"] = n;
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = Metadata(name),
            ["spec"] = new JsonObject
            {
                ["type"] = type,
                ["selector"] = new JsonObject { ["app"] = name },
                ["ports"] = new JsonArray(port),
            },
        };
    }

    public static JsonObject Namespace(string name) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Namespace",
        ["metadata"] = Metadata(name),
    };

    public static JsonObject Node(string name, JsonObject? labels = null) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Node",
        ["metadata"] = Metadata(name, labels),
        ["spec"] = new JsonObject(),
    };

    public static JsonObject Lease(string name) => new()
    {
        ["apiVersion"] = "coordination.k8s.io/v1",
        ["kind"] = "Lease",
        ["metadata"] = Metadata(name),
        ["spec"] = new JsonObject { ["holderIdentity"] = "holder-a", ["leaseDurationSeconds"] = 40 },
    };

    public static JsonObject Event(string name, string ns, string involvedName) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Event",
        ["metadata"] = Metadata(name),
        ["involvedObject"] = new JsonObject { ["kind"] = "Pod", ["namespace"] = ns, ["name"] = involvedName, ["apiVersion"] = "v1" },
        ["reason"] = "Scheduled",
        ["message"] = $"Successfully assigned {ns}/{involvedName} to node-1",
        ["type"] = "Normal",
        ["source"] = new JsonObject { ["component"] = "default-scheduler" },
        ["count"] = 1,
    };

    public static JsonObject Binding(string podName, string node) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Binding",
        ["metadata"] = new JsonObject { ["name"] = podName },
        ["target"] = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Node", ["name"] = node },
    };

    private static JsonObject Metadata(string name, JsonObject? labels = null)
    {
        var meta = new JsonObject { ["name"] = name };
        if (labels is not null)
        {
            meta["labels"] = labels;
        }

        return meta;
    }

    /// <summary>A label map from key/value pairs.</summary>
    public static JsonObject Labels(params (string Key, string Value)[] labels)
    {
        var o = new JsonObject();
        foreach (var (k, v) in labels)
        {
            o[k] = v;
        }

        return o;
    }
}
