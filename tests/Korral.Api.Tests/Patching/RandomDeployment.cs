using System.Text.Json.Nodes;

namespace Korral.Api.Tests.Patching;

/// <summary>
/// Seeded random Deployments (containers with env, ports, mounts, resources; volumes; finalizers; strategies) and
/// edits of them, within what a strategic merge patch can express: unique merge keys, no duplicate finalizers, no nulls.
/// </summary>
internal static class RandomDeployment
{
    private static readonly string[] ContainerNames = ["web", "sidecar", "init", "proxy", "log", "db"];
    private static readonly string[] EnvNames = ["E1", "E2", "E3", "PATH", "HOME", "LEVEL"];
    private static readonly int[] Ports = [80, 443, 8080, 9090, 53];
    private static readonly string[] VolumeNames = ["data", "config", "cache", "tmp"];
    private static readonly string[] Finalizers = ["a.example.com/f", "b.example.com/f", "foregroundDeletion", "orphan"];
    private static readonly string[] LabelKeys = ["app", "tier", "team", "app.kubernetes.io/name"];

    public static JsonObject Create(Random random)
    {
        var metadata = new JsonObject { ["name"] = "web", ["namespace"] = "demo" };
        if (random.Next(4) > 0)
        {
            metadata["labels"] = Labels(random);
        }

        if (random.Next(3) == 0)
        {
            metadata["annotations"] = new JsonObject { ["note"] = Pick(random, ["x", "y", "z"]) };
        }

        if (random.Next(2) == 0)
        {
            metadata["finalizers"] = new JsonArray([.. Subset(random, Finalizers).Select(f => (JsonNode?)f)]);
        }

        var podSpec = new JsonObject { ["containers"] = new JsonArray([.. Subset(random, ContainerNames, min: 1).Select(n => (JsonNode?)Container(random, n))]) };
        if (random.Next(3) > 0)
        {
            podSpec["volumes"] = new JsonArray([.. Subset(random, VolumeNames).Select(n => (JsonNode?)Volume(random, n))]);
        }

        if (random.Next(3) == 0)
        {
            podSpec["tolerations"] = new JsonArray([.. Subset(random, ["a", "b", "c"]).Select(k => (JsonNode?)new JsonObject { ["key"] = k, ["operator"] = "Exists" })]);
        }

        if (random.Next(2) == 0)
        {
            podSpec["restartPolicy"] = "Always";
        }

        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = metadata,
            ["spec"] = new JsonObject
            {
                ["replicas"] = random.Next(5),
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "web" } },
                ["strategy"] = Strategy(random),
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = Labels(random) },
                    ["spec"] = podSpec,
                },
            },
        };
    }

    /// <summary>An edit of <paramref name="original"/>: some parts regenerated, reordered, dropped or added.</summary>
    public static JsonObject Mutate(Random random, JsonObject original)
    {
        var target = (JsonObject)original.DeepClone();
        var spec = (JsonObject)target["spec"]!;
        var metadata = (JsonObject)target["metadata"]!;
        var podSpec = (JsonObject)spec["template"]!["spec"]!;
        for (var edits = random.Next(1, 6); edits > 0; edits--)
        {
            switch (random.Next(10))
            {
                case 0:
                    spec["replicas"] = random.Next(5);
                    break;
                case 1:
                    spec["strategy"] = Strategy(random);
                    break;
                case 2:
                    if (random.Next(3) == 0)
                    {
                        metadata.Remove("labels");
                    }
                    else
                    {
                        metadata["labels"] = Labels(random);
                    }

                    break;
                case 3:
                    metadata["finalizers"] = new JsonArray([.. Subset(random, Finalizers).Select(f => (JsonNode?)f)]);
                    break;
                case 4:
                    podSpec["containers"] = EditList(random, (JsonArray)podSpec["containers"]!, ContainerNames, "name", n => Container(random, n), min: 1);
                    break;
                case 5:
                    foreach (var container in ((JsonArray)podSpec["containers"]!).OfType<JsonObject>())
                    {
                        if (random.Next(2) == 0)
                        {
                            EditContainer(random, container);
                        }
                    }

                    break;
                case 6:
                    podSpec["volumes"] = podSpec["volumes"] is JsonArray volumes
                        ? EditList(random, volumes, VolumeNames, "name", n => Volume(random, n), min: 0)
                        : new JsonArray([.. Subset(random, VolumeNames).Select(n => (JsonNode?)Volume(random, n))]);
                    break;
                case 7:
                    if (podSpec["volumes"] is JsonArray existing)
                    {
                        foreach (var volume in existing.OfType<JsonObject>())
                        {
                            if (random.Next(2) == 0)
                            {
                                SetVolumeSource(random, volume);
                            }
                        }
                    }

                    break;
                case 8:
                    podSpec.Remove("tolerations");
                    if (random.Next(2) == 0)
                    {
                        podSpec["tolerations"] = new JsonArray(new JsonObject { ["key"] = Pick(random, ["a", "b", "c"]), ["operator"] = "Exists" });
                    }

                    break;
                default:
                    spec["template"]!["metadata"] = new JsonObject { ["labels"] = Labels(random) };
                    break;
            }
        }

        return target;
    }

    private static JsonObject Container(Random random, string name)
    {
        var container = new JsonObject { ["name"] = name, ["image"] = Pick(random, ["nginx:1.25", "nginx:1.27", "busybox:1.36"]) };
        EditContainer(random, container);
        return container;
    }

    private static void EditContainer(Random random, JsonObject container)
    {
        switch (random.Next(3))
        {
            case 0:
                container.Remove("env");
                break;
            case 1:
                container["env"] = container["env"] is JsonArray env
                    ? EditList(random, env, EnvNames, "name", n => Env(random, n), min: 0)
                    : new JsonArray([.. Subset(random, EnvNames).Select(n => (JsonNode?)Env(random, n))]);
                break;
        }

        switch (random.Next(3))
        {
            case 0:
                container.Remove("ports");
                break;
            case 1:
                container["ports"] = container["ports"] is JsonArray ports
                    ? EditList(random, ports, Ports.Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(), "containerPort", p => Port(random, p), min: 0)
                    : new JsonArray([.. Subset(random, Ports).Select(p => (JsonNode?)Port(random, p.ToString(System.Globalization.CultureInfo.InvariantCulture)))]);
                break;
        }

        switch (random.Next(4))
        {
            case 0:
                container.Remove("args");
                break;
            case 1:
                container["args"] = new JsonArray([.. Subset(random, ["--v=2", "-f", "serve", "--port=80"]).Select(a => (JsonNode?)a)]);
                break;
            case 2:
                container["resources"] = random.Next(3) == 0
                    ? new JsonObject()
                    : new JsonObject
                    {
                        ["limits"] = new JsonObject { ["cpu"] = random.Next(2) == 0 ? (JsonNode)"500m" : 1, ["memory"] = "128Mi" },
                        ["requests"] = new JsonObject { ["cpu"] = Pick(random, ["100m", "250m"]) },
                    };
                break;
        }

        if (random.Next(3) == 0)
        {
            container["volumeMounts"] = new JsonArray([.. Subset(random, ["/data", "/etc/config", "/cache"]).Select(p => (JsonNode?)new JsonObject { ["name"] = "data", ["mountPath"] = p })]);
        }
    }

    private static JsonObject Env(Random random, string name) => random.Next(4) == 0
        ? new JsonObject { ["name"] = name, ["valueFrom"] = new JsonObject { ["fieldRef"] = new JsonObject { ["fieldPath"] = "metadata.name" } } }
        : new JsonObject { ["name"] = name, ["value"] = Pick(random, ["1", "2", "debug", ""]) };

    private static JsonObject Port(Random random, string port)
    {
        var result = new JsonObject { ["containerPort"] = int.Parse(port, System.Globalization.CultureInfo.InvariantCulture) };
        if (random.Next(2) == 0)
        {
            result["protocol"] = Pick(random, ["TCP", "UDP"]);
        }

        if (random.Next(3) == 0)
        {
            result["name"] = Pick(random, ["http", "https", "metrics"]);
        }

        return result;
    }

    private static JsonObject Volume(Random random, string name)
    {
        var volume = new JsonObject { ["name"] = name };
        SetVolumeSource(random, volume);
        return volume;
    }

    private static void SetVolumeSource(Random random, JsonObject volume)
    {
        foreach (var key in volume.Select(p => p.Key).Where(k => k != "name").ToList())
        {
            volume.Remove(key);
        }

        switch (random.Next(3))
        {
            case 0:
                volume["emptyDir"] = random.Next(2) == 0 ? new JsonObject() : new JsonObject { ["sizeLimit"] = "1Gi" };
                break;
            case 1:
                volume["hostPath"] = new JsonObject { ["path"] = Pick(random, ["/tmp", "/var/log"]) };
                break;
            default:
                volume["configMap"] = new JsonObject { ["name"] = Pick(random, ["cfg", "other"]) };
                break;
        }
    }

    private static JsonObject Strategy(Random random) => random.Next(3) switch
    {
        0 => new JsonObject { ["type"] = "Recreate" },
        1 => new JsonObject { ["type"] = "RollingUpdate" },
        _ => new JsonObject
        {
            ["type"] = "RollingUpdate",
            ["rollingUpdate"] = new JsonObject
            {
                ["maxSurge"] = random.Next(2) == 0 ? (JsonNode)1 : "25%",
                ["maxUnavailable"] = random.Next(2) == 0 ? (JsonNode)0 : "25%",
            },
        },
    };

    private static JsonObject Labels(Random random)
    {
        var labels = new JsonObject();
        foreach (var key in Subset(random, LabelKeys))
        {
            labels[key] = Pick(random, ["web", "frontend", "blue"]);
        }

        return labels;
    }

    /// <summary>Keeps, drops, reorders and adds elements of a keyed list, regenerating some kept ones.</summary>
    private static JsonArray EditList(Random random, JsonArray list, string[] keys, string mergeKey, Func<string, JsonObject> create, int min)
    {
        var items = list.OfType<JsonObject>().Select(o => (JsonObject)o.DeepClone()).Where(_ => random.Next(4) > 0).ToList();
        var present = items.Select(o => o[mergeKey]!.ToJsonString().Trim('"')).ToHashSet();
        foreach (var key in keys.Where(k => !present.Contains(k)))
        {
            if (random.Next(3) == 0)
            {
                items.Add(create(key));
            }
        }

        if (items.Count < min)
        {
            items.Add(create(keys.First(k => !items.Any(o => o[mergeKey]!.ToJsonString().Trim('"') == k))));
        }

        if (random.Next(2) == 0)
        {
            items = items.OrderBy(_ => random.Next()).ToList();
        }

        for (var i = 0; i < items.Count; i++)
        {
            if (random.Next(4) == 0)
            {
                var key = items[i][mergeKey]!.ToJsonString().Trim('"');
                items[i] = create(key);
            }
        }

        return new JsonArray([.. items.Select(o => (JsonNode?)o)]);
    }

    private static List<T> Subset<T>(Random random, T[] values, int min = 0)
    {
        var chosen = values.Where(_ => random.Next(2) == 0).OrderBy(_ => random.Next()).ToList();
        if (chosen.Count < min)
        {
            chosen.Add(values[random.Next(values.Length)]);
        }

        return chosen;
    }

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];
}
