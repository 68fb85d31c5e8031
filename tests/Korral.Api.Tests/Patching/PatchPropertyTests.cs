using System.Text.Json.Nodes;
using Korral.Api.Patching;
using Korral.Api.Schema;
using static Korral.Api.Tests.Patching.PatchJson;

namespace Korral.Api.Tests.Patching;

/// <summary>
/// Round trips over generated documents, one fixed seed per case: a patch computed from (original, target) must turn
/// the original into the target, must be idempotent, and must be empty when nothing changed.
/// </summary>
public class PatchPropertyTests
{
    private const string Deployment = "io.k8s.api.apps.v1.Deployment";

    private static readonly StrategicMergePatch Smp = new(GeneratedSchemaCatalog.Instance);

    public static TheoryData<int> Seeds()
    {
        var seeds = new TheoryData<int>();
        for (var seed = 1; seed <= 150; seed++)
        {
            seeds.Add(seed);
        }

        return seeds;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Merge_patch_from_create_merge_patch_reproduces_the_target(int seed)
    {
        var random = new Random(seed);
        var original = RandomJson.Object(random, depth: 3, allowNulls: true);
        var target = random.Next(3) == 0 ? RandomJson.Object(random, depth: 3, allowNulls: false) : RandomJson.Mutate(random, original, depth: 3);
        var originalText = original.ToJsonString();
        var targetText = target.ToJsonString();

        var patch = MergePatch.CreateMergePatch(original, target);

        Assert.Equal(originalText, original.ToJsonString());
        Assert.Equal(targetText, target.ToJsonString());
        var once = MergePatch.Apply(original.DeepClone(), patch);
        Assert.Equal(Canonical(target), Canonical(once));
        Assert.Equal(Canonical(target), Canonical(MergePatch.Apply(once!.DeepClone(), patch)));
        Assert.Equal("{}", Canonical(MergePatch.CreateMergePatch(target, target.DeepClone())));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Strategic_patch_from_two_way_diff_reproduces_the_target_deployment(int seed)
    {
        var random = new Random(seed);
        var original = RandomDeployment.Create(random);
        var target = random.Next(4) == 0 ? RandomDeployment.Create(random) : RandomDeployment.Mutate(random, original);
        var originalText = original.ToJsonString();

        var patch = Smp.CreateTwoWayMergePatch(original, target, Deployment);

        Assert.Equal(originalText, original.ToJsonString());
        var patchText = patch.ToJsonString();
        var once = Smp.Apply((JsonObject)original.DeepClone(), patch, Deployment);
        Assert.Equal(patchText, patch.ToJsonString());
        Assert.Equal(Canonical(target), Canonical(once));
        Assert.Equal(Canonical(target), Canonical(Smp.Apply((JsonObject)once.DeepClone(), patch, Deployment)));
        Assert.Equal("{}", Canonical(Smp.CreateTwoWayMergePatch(target, (JsonObject)target.DeepClone(), Deployment)));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Strategic_patch_leaves_what_it_does_not_name(int seed)
    {
        // The live object has what the server and other clients added: status, uid, an injected sidecar somewhere in
        // the list. A patch computed from the user's old and new configuration changes the user's part only.
        var random = new Random(seed);
        var original = RandomDeployment.Create(random);
        var target = RandomDeployment.Mutate(random, original);
        var live = (JsonObject)original.DeepClone();
        live["metadata"]!["uid"] = "8b7a3c1e-0000-4000-8000-000000000001";
        live["status"] = new JsonObject { ["replicas"] = 1, ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Available", ["status"] = "True" }) };
        var containers = (JsonArray)live["spec"]!["template"]!["spec"]!["containers"]!;
        containers.Insert(random.Next(containers.Count + 1), new JsonObject { ["name"] = "istio-proxy", ["image"] = "proxy:1" });

        var result = Smp.Apply(live, Smp.CreateTwoWayMergePatch(original, target, Deployment), Deployment);

        Assert.Equal("8b7a3c1e-0000-4000-8000-000000000001", (string?)result["metadata"]!["uid"]);
        Assert.Equal("Available", (string?)result["status"]!["conditions"]![0]!["type"]);
        var resultContainers = (JsonArray)result["spec"]!["template"]!["spec"]!["containers"]!;
        var sidecar = Assert.Single(resultContainers, c => (string?)c!["name"] == "istio-proxy");
        resultContainers.Remove(sidecar);
        ((JsonObject)result["metadata"]!).Remove("uid");
        result.Remove("status");
        Assert.Equal(Canonical(target), Canonical(result));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Strategic_patch_without_schema_reproduces_the_target(int seed)
    {
        // Without a schema every list is atomic and every map merges: the two-way patch must still round-trip.
        var random = new Random(seed);
        var original = RandomJson.Object(random, depth: 3, allowNulls: false);
        var target = RandomJson.Mutate(random, original, depth: 3);

        var patch = Smp.CreateTwoWayMergePatch(original, target, schemaName: null);

        Assert.Equal(Canonical(target), Canonical(Smp.Apply((JsonObject)original.DeepClone(), patch, schemaName: null)));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Strategic_merge_of_a_merge_patch_agrees_with_json_merge_patch_without_schema(int seed)
    {
        // A JSON merge patch with no directive keys means the same thing as a strategic patch of a schemaless kind.
        var random = new Random(seed);
        var original = RandomJson.Object(random, depth: 3, allowNulls: false);
        var target = RandomJson.Mutate(random, original, depth: 3);
        var patch = (JsonObject)MergePatch.CreateMergePatch(original, target)!;

        var viaMerge = MergePatch.Apply(original.DeepClone(), patch);
        var viaStrategic = Smp.Apply((JsonObject)original.DeepClone(), patch, schemaName: null);

        Assert.Equal(Canonical(viaMerge), Canonical(viaStrategic));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Json_patch_replay_of_a_merge_patch_gives_the_same_document(int seed)
    {
        // The same change expressed as JSON Patch operations (add/replace/remove per changed member) lands on the target.
        var random = new Random(seed);
        var original = RandomJson.Object(random, depth: 3, allowNulls: false);
        var target = RandomJson.Mutate(random, original, depth: 3);
        var operations = new JsonArray();
        AddOperations(operations, "", original, target);

        var result = JsonPatch.Apply(original.DeepClone(), operations);

        Assert.Equal(Canonical(target), Canonical(result));
    }

    private static void AddOperations(JsonArray operations, string path, JsonObject before, JsonObject after)
    {
        foreach (var (key, value) in before)
        {
            if (!after.ContainsKey(key))
            {
                operations.Add(new JsonObject { ["op"] = "remove", ["path"] = $"{path}/{Escape(key)}" });
            }
        }

        foreach (var (key, value) in after)
        {
            var pointer = $"{path}/{Escape(key)}";
            if (!before.TryGetPropertyValue(key, out var old))
            {
                operations.Add(new JsonObject { ["op"] = "add", ["path"] = pointer, ["value"] = value?.DeepClone() });
            }
            else if (old is JsonObject oldObject && value is JsonObject newObject)
            {
                AddOperations(operations, pointer, oldObject, newObject);
            }
            else if (Canonical(old) != Canonical(value))
            {
                operations.Add(new JsonObject { ["op"] = "test", ["path"] = pointer, ["value"] = old?.DeepClone() });
                operations.Add(new JsonObject { ["op"] = "replace", ["path"] = pointer, ["value"] = value?.DeepClone() });
            }
        }
    }

    private static string Escape(string key) => key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
