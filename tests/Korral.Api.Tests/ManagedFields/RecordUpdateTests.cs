using System.Text.Json.Nodes;
using Korral.Api.ManagedFields;
using static Korral.Api.Tests.ManagedFields.ManagedFieldsTestSupport;

namespace Korral.Api.Tests.ManagedFields;

public class RecordUpdateTests
{
    private readonly FieldManager fm;
    private readonly ManualClock clock;

    public RecordUpdateTests()
    {
        (fm, clock) = NewManager();
    }

    private JsonObject Create(JsonObject obj, string manager = "creator")
    {
        var created = (JsonObject)obj.DeepClone();
        fm.RecordUpdate(null, created, manager, "Update", null, UpdateOf(Deployment));
        return created;
    }

    private JsonObject Update(JsonObject old, Action<JsonObject> change, string manager, string? subresource = null, FieldSet? reset = null)
    {
        var updated = (JsonObject)old.DeepClone();
        change(updated);
        fm.RecordUpdate(old, updated, manager, "Update", subresource, UpdateOf(Deployment) with { ResetFields = reset });
        return updated;
    }

    [Fact]
    public void ACreateOwnsEverythingItSetAndMarksNewContainers()
    {
        var created = Create(WebDeployment());
        var entry = Assert.Single(Entries(created));
        Assert.Equal(("creator", "Update", "apps/v1", (DateTimeOffset?)T0), (entry.Manager, entry.Operation, entry.ApiVersion, entry.Time));
        Assert.Equal(
            "{\"f:metadata\":{\"f:labels\":{\".\":{},\"f:app\":{}}},"
            + "\"f:spec\":{\"f:replicas\":{},\"f:selector\":{},"
            + "\"f:template\":{\"f:metadata\":{\"f:labels\":{\".\":{},\"f:app\":{}}},"
            + "\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"nginx\\\"}\":{\".\":{},"
            + "\"f:env\":{\".\":{},\"k:{\\\"name\\\":\\\"A\\\"}\":{\".\":{},\"f:name\":{},\"f:value\":{}}},"
            + "\"f:image\":{},\"f:name\":{},"
            + "\"f:ports\":{\".\":{},\"k:{\\\"containerPort\\\":80,\\\"protocol\\\":\\\"TCP\\\"}\":{\".\":{},\"f:containerPort\":{}}}}},"
            + "\"f:volumes\":{\".\":{},\"k:{\\\"name\\\":\\\"data\\\"}\":{\".\":{},\"f:emptyDir\":{},\"f:name\":{}}}}}}}",
            entry.Fields.ToFieldsV1Json());
    }

    [Fact]
    public void ChangedFieldsMoveToTheWriter()
    {
        var created = Create(WebDeployment());
        clock.Advance(10);
        var updated = Update(created, o => ((JsonObject)Containers(o)[0]!)["image"] = "nginx:1.27", "kubectl-set");
        Assert.False(Entry(updated, "creator").Fields.Has(Image));
        Assert.Equal("{\"f:spec\":{\"f:template\":{\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"nginx\\\"}\":{\"f:image\":{}}}}}}}",
            FieldsOf(updated, "kubectl-set"));
        Assert.Equal(T0.AddSeconds(10), Entry(updated, "kubectl-set").Time);
        Assert.Equal(T0, Entry(updated, "creator").Time);
    }

    private static readonly FieldSetPath Image = new(PathElement.Field("spec"), PathElement.Field("template"), PathElement.Field("spec"),
        PathElement.Field("containers"), PathElement.ForKey(("name", JsonValue.Create("nginx"))), PathElement.Field("image"));

    [Fact]
    public void RemovedFieldsLeaveEveryManager()
    {
        var created = Create(WebDeployment());
        var updated = Update(created, o => o["metadata"]!.AsObject().Remove("labels"), "editor");
        Assert.False(Entry(updated, "creator").Fields.Has(FieldSetPath.Fields("metadata", "labels", "app")));
        Assert.DoesNotContain(Entries(updated), e => e.Manager == "editor");
    }

    [Fact]
    public void AWriteThatChangesNothingChangesNoEntry()
    {
        var created = Create(WebDeployment());
        clock.Advance(100);
        var same = Update(created, _ => { }, "someone-else");
        Assert.Equal(Json(created), Json(same));
    }

    [Fact]
    public void AnEntryWhoseFieldsAreAllTakenIsDropped()
    {
        var created = Create(WebDeployment());
        var scaled = Update(created, o => Spec(o)["replicas"] = 5, "scaler");
        var rescaled = Update(scaled, o => Spec(o)["replicas"] = 6, "other-scaler");
        Assert.DoesNotContain(Entries(rescaled), e => e.Manager == "scaler");
    }

    [Fact]
    public void UpdatesOfTheSameManagerMergeIntoOneEntry()
    {
        var created = Create(WebDeployment());
        var a = Update(created, o => Spec(o)["replicas"] = 5, "editor");
        clock.Advance(5);
        var b = Update(a, o => Spec(o)["paused"] = true, "editor");
        Assert.Equal("{\"f:spec\":{\"f:paused\":{},\"f:replicas\":{}}}", FieldsOf(b, "editor"));
        Assert.Equal(T0.AddSeconds(5), Entry(b, "editor").Time);
        Assert.Equal(2, Entries(b).Count);
    }

    [Fact]
    public void StatusWritesAreRecordedAgainstTheSubresource()
    {
        var created = Create(WebDeployment());
        var updated = Update(created, o =>
        {
            o["status"] = JsonNode.Parse("""{"readyReplicas":3,"conditions":[{"type":"Available","status":"True"}]}""");
            Spec(o)["replicas"] = 10;
        }, "kube-controller-manager", "status", ResetFields.SpecAndLabels);
        var entry = Entry(updated, "kube-controller-manager");
        Assert.Equal("status", entry.Subresource);
        Assert.Equal("{\"f:status\":{\"f:conditions\":{\".\":{},\"k:{\\\"type\\\":\\\"Available\\\"}\":{\".\":{},\"f:status\":{},\"f:type\":{}}},\"f:readyReplicas\":{}}}",
            entry.Fields.ToFieldsV1Json());
        Assert.True(Entry(updated, "creator").Fields.Has(FieldSetPath.Fields("spec", "replicas")));
        Assert.Contains("\"subresource\":\"status\"", Json(updated["metadata"]!["managedFields"]));
    }

    [Fact]
    public void StatusWrittenThroughTheMainResourceIsNotOwned()
    {
        var created = Create(WebDeployment());
        var updated = Update(created, o => o["status"] = JsonNode.Parse("""{"replicas":1}"""), "editor", reset: ResetFields.Status);
        Assert.DoesNotContain(Entries(updated), e => e.Manager == "editor");
    }

    [Fact]
    public void AnEmptyListResetsManagedFieldsAndTheObjectStaysUntracked()
    {
        var created = Create(WebDeployment());
        var reset = Update(created, o => o["metadata"]!["managedFields"] = new JsonArray(), "resetter");
        Assert.False(reset["metadata"]!.AsObject().ContainsKey("managedFields"));
        var later = Update(reset, o => Spec(o)["replicas"] = 9, "editor");
        Assert.False(later["metadata"]!.AsObject().ContainsKey("managedFields"));
    }

    [Fact]
    public void AListOfOneEmptyEntryAlsoResets()
    {
        var created = Create(WebDeployment());
        var reset = Update(created, o => o["metadata"]!["managedFields"] = JsonNode.Parse("[{}]"), "resetter");
        Assert.False(reset["metadata"]!.AsObject().ContainsKey("managedFields"));
    }

    [Fact]
    public void InvalidManagedFieldsFromTheClientAreIgnored()
    {
        var created = Create(WebDeployment());
        var updated = Update(created, o =>
        {
            o["metadata"]!["managedFields"] = JsonNode.Parse("""[{"manager":"x","operation":"Bogus","apiVersion":"apps/v1","fieldsType":"FieldsV1","fieldsV1":{}}]""");
            Spec(o)["replicas"] = 4;
        }, "editor");
        Assert.Equal(["editor", "creator"], Entries(updated).Select(e => e.Manager).Order().Reverse());
    }

    [Fact]
    public void ValidManagedFieldsFromTheClientReplaceTheStoredOnes()
    {
        var created = Create(WebDeployment());
        var updated = Update(created, o => o["metadata"]!["managedFields"] = JsonNode.Parse(
            """[{"manager":"imported","operation":"Apply","apiVersion":"apps/v1","fieldsType":"FieldsV1","fieldsV1":{"f:spec":{"f:replicas":{}}}}]"""), "editor");
        Assert.Equal("imported", Assert.Single(Entries(updated)).Manager);
    }

    [Fact]
    public void ManagedFieldsSentToASubresourceAreIgnored()
    {
        var created = Create(WebDeployment());
        var updated = Update(created, o =>
        {
            o["metadata"]!["managedFields"] = new JsonArray();
            o["status"] = JsonNode.Parse("""{"replicas":1}""");
        }, "kcm", "status", ResetFields.SpecAndLabels);
        Assert.Equal(["creator", "kcm"], Entries(updated).Select(e => e.Manager).Order());
    }

    [Fact]
    public void TheUserAgentNamesAManagerlessWriter()
    {
        var obj = WebDeployment();
        fm.RecordUpdate(null, obj, "", "Update", null,
            UpdateOf(Deployment) with { UserAgent = "kubectl.1.33/v1.33.1 (linux/amd64) kubernetes/8adc0f0" });
        Assert.Equal("kubectl.1.33", Assert.Single(Entries(obj)).Manager);
    }

    [Fact]
    public void BeyondTenUpdateManagersTheOldestMergeIntoAncientChanges()
    {
        var obj = Create(WebDeployment());
        for (var i = 0; i < 11; i++)
        {
            clock.Advance(1);
            var n = i;
            obj = Update(obj, o => o["metadata"]!["labels"]![$"l{n}"] = "x", $"writer-{n}");
        }

        var entries = Entries(obj);
        Assert.Equal(10, entries.Count);
        var ancient = Entry(obj, "ancient-changes");
        Assert.Equal("Update", ancient.Operation);
        Assert.True(ancient.Fields.Has(FieldSetPath.Fields("spec", "replicas")));
        Assert.True(ancient.Fields.Has(FieldSetPath.Fields("metadata", "labels", "l0")));
        Assert.DoesNotContain(entries, e => e.Manager is "creator" or "writer-0" or "writer-1");
        Assert.True(ancient.Fields.Has(FieldSetPath.Fields("metadata", "labels", "l1")));
        Assert.Equal(T0.AddSeconds(2), ancient.Time);
    }

    [Fact]
    public void TheOperationIsUpdateOrApply()
    {
        var created = Create(WebDeployment());
        var updated = (JsonObject)created.DeepClone();
        Spec(updated)["replicas"] = 2;
        fm.RecordUpdate(created, updated, "editor", "Update", null, UpdateOf(Deployment));
        Assert.Equal(2, Entries(updated).Count);
        Assert.Throws<ArgumentException>(() => fm.RecordUpdate(created, updated, "editor", "Patch", null, UpdateOf(Deployment)));
    }

    [Fact]
    public void ManagedFieldsAreEncodedInUpstreamOrder()
    {
        var t1 = T0.AddSeconds(1);
        var entries = new[]
        {
            new ManagedFieldsEntry("b", "Update", "apps/v1", T0, FieldSet.FromPaths(FieldSetPath.Fields("a"))),
            new ManagedFieldsEntry("a", "Update", "apps/v1", t1, FieldSet.FromPaths(FieldSetPath.Fields("a"))),
            new ManagedFieldsEntry("z", "Apply", "apps/v1", t1, FieldSet.FromPaths(FieldSetPath.Fields("a"))),
            new ManagedFieldsEntry("a", "Update", "apps/v1", T0, FieldSet.FromPaths(FieldSetPath.Fields("a")), "status"),
            new ManagedFieldsEntry("c", "Update", "apps/v1", null, FieldSet.FromPaths(FieldSetPath.Fields("a"))),
        };
        var encoded = ManagedFieldsCodec.Encode(entries)!;
        Assert.Equal(["z/", "c/", "a/status", "b/", "a/"], encoded.Select(e => $"{e!["manager"]}/{e["subresource"]}"));
        Assert.Equal(
            """{"manager":"z","operation":"Apply","apiVersion":"apps/v1","time":"2026-01-02T03:04:06Z","fieldsType":"FieldsV1","fieldsV1":{"f:a":{}}}""",
            Json(encoded[0]));
        Assert.Null(ManagedFieldsCodec.Encode([]));
    }

    [Theory]
    [InlineData("""[{"operation":"Patch","apiVersion":"v1","fieldsType":"FieldsV1"}]""", "operation must be `Apply` or `Update`")]
    [InlineData("""[{"operation":"Apply","fieldsType":"FieldsV1"}]""", "apiVersion must not be empty")]
    [InlineData("""[{"operation":"Apply","apiVersion":"v1"}]""", "missing fieldsType in managed fields entry 0")]
    [InlineData("""[{"operation":"Apply","apiVersion":"v1","fieldsType":"FieldsV2"}]""", "invalid fieldsType \"FieldsV2\" in managed fields entry 0")]
    public void InvalidEntriesAreRefusedByTheCodec(string managedFields, string error)
    {
        var e = Assert.Throws<FormatException>(() => ManagedFieldsCodec.Decode(JsonNode.Parse(managedFields)));
        Assert.Equal(error, e.Message);
    }
}
