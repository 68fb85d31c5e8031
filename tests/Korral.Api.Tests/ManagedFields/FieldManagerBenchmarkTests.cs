using System.Diagnostics;
using System.Text.Json.Nodes;
using Korral.Api.ManagedFields;
using Xunit.Abstractions;
using static Korral.Api.Tests.ManagedFields.ManagedFieldsTestSupport;

namespace Korral.Api.Tests.ManagedFields;

/// <summary>Prints how long the hot path takes; it asserts nothing about time (machines differ).</summary>
public class FieldManagerBenchmarkTests(ITestOutputHelper output)
{
    /// <summary>A defaulted three-container Deployment with three managers, as a real cluster holds it.</summary>
    private static (FieldManager Manager, JsonObject Live) Setup()
    {
        var (fm, clock) = NewManager();
        var config = WebDeployment();
        var containers = Containers(config);
        containers.Add(JsonNode.Parse("""{"name":"sidecar","image":"envoy:1.30","ports":[{"containerPort":9901},{"containerPort":15000,"protocol":"UDP"}],"env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]}"""));
        containers.Add(JsonNode.Parse("""{"name":"logger","image":"fluent-bit:3","args":["-c","/etc/fb.conf"],"volumeMounts":[{"name":"data","mountPath":"/data"}]}"""));
        foreach (var c in containers)
        {
            var o = c!.AsObject();
            o["imagePullPolicy"] = "IfNotPresent";
            o["terminationMessagePath"] = "/dev/termination-log";
            o["terminationMessagePolicy"] = "File";
            o["resources"] = new JsonObject();
        }

        var spec = Spec(config);
        spec["strategy"] = JsonNode.Parse("""{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}}""");
        spec["revisionHistoryLimit"] = 10;
        spec["progressDeadlineSeconds"] = 600;
        var live = fm.Apply(null, config, "kubectl", false, ApplyTo(Deployment));
        clock.Advance(1);
        var withStatus = (JsonObject)live.DeepClone();
        withStatus["status"] = JsonNode.Parse("""{"replicas":3,"readyReplicas":3,"observedGeneration":1,"conditions":[{"type":"Available","status":"True","reason":"MinimumReplicasAvailable"},{"type":"Progressing","status":"True","reason":"NewReplicaSetAvailable"}]}""");
        fm.RecordUpdate(live, withStatus, "kube-controller-manager", "Update", "status", UpdateOf(Deployment) with { ResetFields = ResetFields.SpecAndLabels });
        return (fm, withStatus);
    }

    private static readonly string Build =
#if DEBUG
        "Debug build, unoptimised: expect several times less in Release";
#else
        "Release build";
#endif

    /// <summary>Runs <paramref name="call"/> on fresh copies made in small batches (so the heap stays small), timing only the call.</summary>
    private static double MicrosecondsPerCall(JsonObject source, Action<JsonObject> change, Action<JsonObject> call, int iterations)
    {
        var text = source.ToJsonString();
        var batch = new JsonObject[50];
        var sw = new Stopwatch();
        for (var done = 0; done < iterations; done += batch.Length)
        {
            for (var i = 0; i < batch.Length; i++)
            {
                batch[i] = JsonNode.Parse(text)!.AsObject();
                change(batch[i]);
            }

            foreach (var copy in batch)
            {
                sw.Start();
                call(copy);
                sw.Stop();
            }
        }

        return sw.Elapsed.TotalMicroseconds / iterations;
    }

    [Fact]
    public void RecordUpdateOfAThreeContainerDeployment()
    {
        var (fm, live) = Setup();
        var n = 0;
        void Edit(JsonObject o)
        {
            Spec(o)["replicas"] = 4 + (n % 2);
            ((JsonObject)Containers(o)[1]!)["image"] = $"envoy:1.{n++ % 7}";
        }

        void Record(JsonObject o) => fm.RecordUpdate(live, o, "kubectl-edit", "Update", null, UpdateOf(Deployment));
        MicrosecondsPerCall(live, Edit, Record, 500);
        var changed = MicrosecondsPerCall(live, Edit, Record, 3000);
        var unchanged = MicrosecondsPerCall(live, _ => { }, Record, 3000);
        output.WriteLine($"RecordUpdate, 3-container Deployment, 3 managers ({Build}):");
        output.WriteLine($"  2 fields changed: {changed:F1} µs/op");
        output.WriteLine($"  nothing changed:  {unchanged:F1} µs/op");

        var last = (JsonObject)live.DeepClone();
        Edit(last);
        Record(last);
        Assert.Equal(3, Entries(last).Count);
    }

    [Fact]
    public void ApplyOfAThreeContainerDeployment()
    {
        var (fm, live) = Setup();
        var config = WebDeployment(replicas: 3);
        const int iterations = 300;
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            fm.Apply(live, config, "kubectl", true, ApplyTo(Deployment));
        }

        output.WriteLine($"Apply, 3-container Deployment re-applied without two of its containers ({Build}): {sw.Elapsed.TotalMicroseconds / iterations:F1} µs/op");
    }

    [Fact]
    public void RecordUpdateOfABigList()
    {
        var (fm, _) = NewManager();
        var pod = Parse("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","env":[]}]}}""");
        var env = pod["spec"]!["containers"]![0]!["env"]!.AsArray();
        for (var i = 0; i < 5000; i++)
        {
            env.Add(new JsonObject { ["name"] = $"VAR_{i}", ["value"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }

        fm.RecordUpdate(null, pod, "creator", "Update", null, UpdateOf(Pod));
        var changed = (JsonObject)pod.DeepClone();
        changed["spec"]!["containers"]![0]!["env"]![2500]!["value"] = "changed";
        var sw = Stopwatch.StartNew();
        fm.RecordUpdate(pod, changed, "editor", "Update", null, UpdateOf(Pod));
        output.WriteLine($"RecordUpdate, 5000 env vars, one changed ({Build}): {sw.Elapsed.TotalMilliseconds:F1} ms");
        Assert.Contains("VAR_2500", FieldsOf(changed, "editor"));
    }
}
