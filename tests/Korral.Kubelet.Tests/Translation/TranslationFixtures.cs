using System.Text.Json.Nodes;
using Korral.Api.Defaulting;
using Korral.Api.Models;
using Korral.Api.Models.CoreV1;
using Korral.Api.Yaml;

namespace Korral.Kubelet.Tests.Translation;

/// <summary>
/// Pods as the kubelet receives them: the acceptance manifests (tests/Korral.E2E/Scenarios, copies of
/// /work/shared/scenarios) or inline YAML, with the API server's defaults applied and a namespace, uid, node and QoS set.
/// </summary>
internal static class TranslationFixtures
{
    public const string Uid = "11111111-2222-3333-4444-555555555555";

    public static Pod Pod(string yaml, string ns = "default", string uid = Uid) =>
        Admit(YamlJson.ParseDocuments(yaml).Single()!.AsObject(), ns, uid);

    public static Pod ScenarioPod(string file, string ns = "default", string uid = Uid) => Pod(Scenario(file), ns, uid);

    /// <summary>A pod made from a workload manifest's pod template, named as a ReplicaSet would name it.</summary>
    public static Pod TemplatePod(string file, string podName, string ns = "default", string uid = Uid)
    {
        var template = YamlJson.ParseDocuments(Scenario(file)).Single()!["spec"]!["template"]!.DeepClone().AsObject();
        var metadata = template["metadata"]?.AsObject() ?? new JsonObject();
        metadata["name"] = podName;
        var pod = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = metadata.DeepClone(), ["spec"] = template["spec"]!.DeepClone() };
        return Admit(pod, ns, uid);
    }

    public static IReadOnlyList<T> ScenarioObjects<T>(string file, string kind, string ns = "default")
        where T : class
    {
        var result = new List<T>();
        foreach (var doc in YamlJson.ParseDocuments(Scenario(file)))
        {
            if (doc?["kind"]?.GetValue<string>() == kind)
            {
                doc["metadata"]!["namespace"] = ns;
                result.Add(KubeJson.FromNode<T>(doc)!);
            }
        }

        return result;
    }

    public static string Scenario(string file) => File.ReadAllText(Path.Combine(RepoDirectory(), "tests", "Korral.E2E", "Scenarios", file));

    public static Service Service(string ns, string name, string clusterIP, params (string? Name, int Port, string? Protocol)[] ports) => new()
    {
        Metadata = new() { Namespace = ns, Name = name },
        Spec = new()
        {
            ClusterIP = clusterIP,
            Ports = ports.Select(p => new ServicePort { Name = p.Name, Port = p.Port, Protocol = p.Protocol }).ToList(),
        },
    };

    private static Pod Admit(JsonObject pod, string ns, string uid)
    {
        PodSpecDefaults.DefaultPod(pod);
        var metadata = pod["metadata"]!.AsObject();
        metadata["namespace"] = ns;
        metadata["uid"] = uid;
        pod["spec"]!["nodeName"] = "node-1";
        pod["spec"]!["serviceAccountName"] ??= "default";
        pod["status"] = new JsonObject { ["qosClass"] = PodDefaults.QosClass(pod) };
        return KubeJson.FromNode<Pod>(pod)!;
    }

    private static string RepoDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Korral.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Korral.slnx not found above " + AppContext.BaseDirectory);
    }
}
