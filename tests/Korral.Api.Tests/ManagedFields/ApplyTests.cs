using System.Text.Json.Nodes;
using Korral.Api.ManagedFields;
using static Korral.Api.Tests.ManagedFields.ManagedFieldsTestSupport;

namespace Korral.Api.Tests.ManagedFields;

public class ApplyTests
{
    private const string ApplierFields =
        "{\"f:metadata\":{\"f:labels\":{\"f:app\":{}}},"
        + "\"f:spec\":{\"f:replicas\":{},\"f:selector\":{},"
        + "\"f:template\":{\"f:metadata\":{\"f:labels\":{\"f:app\":{}}},"
        + "\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"nginx\\\"}\":{\".\":{},"
        + "\"f:env\":{\"k:{\\\"name\\\":\\\"A\\\"}\":{\".\":{},\"f:name\":{},\"f:value\":{}}},"
        + "\"f:image\":{},\"f:name\":{},"
        + "\"f:ports\":{\"k:{\\\"containerPort\\\":80,\\\"protocol\\\":\\\"TCP\\\"}\":{\".\":{},\"f:containerPort\":{}}}}},"
        + "\"f:volumes\":{\"k:{\\\"name\\\":\\\"data\\\"}\":{\".\":{},\"f:emptyDir\":{},\"f:name\":{}}}}}}}";

    private readonly FieldManager fm;
    private readonly ManualClock clock;

    public ApplyTests()
    {
        (fm, clock) = NewManager();
    }

    private JsonObject Apply(JsonObject? live, JsonObject config, string manager = "test", bool force = false) =>
        fm.Apply(live, config, manager, force, ApplyTo(Deployment));

    /// <summary>An object created by kubectl's client-side apply: a POST recorded as an update by kubectl-client-side-apply.</summary>
    private JsonObject CreatedClientSide(JsonObject config)
    {
        var obj = (JsonObject)config.DeepClone();
        var annotations = new JsonObject { [LastAppliedConfiguration.Annotation] = LastAppliedConfiguration.Build(config) };
        obj["metadata"]!["annotations"] = annotations;
        fm.RecordUpdate(null, obj, "kubectl-client-side-apply", "Update", null, UpdateOf(Deployment));
        return obj;
    }

    [Fact]
    public void ApplyCreates()
    {
        var created = Apply(null, WebDeployment());
        var expected = WebDeployment();
        Assert.Equal(Json(expected["spec"]), Json(created["spec"]));
        var entry = Assert.Single(Entries(created));
        Assert.Equal(("test", "Apply", "apps/v1", "", (DateTimeOffset?)T0), (entry.Manager, entry.Operation, entry.ApiVersion, entry.Subresource, entry.Time));
        Assert.Equal(ApplierFields, entry.Fields.ToFieldsV1Json());
        Assert.Equal(
            "[{\"manager\":\"test\",\"operation\":\"Apply\",\"apiVersion\":\"apps/v1\",\"time\":\"2026-01-02T03:04:05Z\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":"
            + ApplierFields + "}]",
            Json(created["metadata"]!["managedFields"]));
    }

    [Fact]
    public void ApplyingTheSameConfigurationChangesNothing()
    {
        var live = Apply(null, WebDeployment());
        clock.Advance(60);
        var again = Apply(live, WebDeployment());
        Assert.Equal(Json(live), Json(again));
    }

    [Fact]
    public void FieldsLeftOutOfTheConfigurationAreRemoved()
    {
        var live = Apply(null, WebDeployment());
        var config = WebDeployment();
        Spec(config).Remove("replicas");
        ((JsonObject)Containers(config)[0]!).Remove("env");
        config["metadata"]!.AsObject().Remove("labels");
        clock.Advance(60);
        var result = Apply(live, config);
        Assert.False(Spec(result).ContainsKey("replicas"));
        Assert.False(((JsonObject)Containers(result)[0]!).ContainsKey("env"));
        Assert.False(result["metadata"]!.AsObject().ContainsKey("labels"));
        var entry = Entry(result, "test");
        Assert.Equal(T0.AddSeconds(60), entry.Time);
        Assert.False(entry.Fields.Has(FieldSetPath.Fields("spec", "replicas")));
    }

    [Fact]
    public void RemovingAListItemRemovesItFromTheObject()
    {
        var config = WebDeployment();
        Containers(config).Add(JsonNode.Parse("""{"name":"sidecar","image":"busybox"}"""));
        var live = Apply(null, config);
        var result = Apply(live, WebDeployment());
        Assert.Equal(["nginx"], Containers(result).Select(c => (string)c!["name"]!));
    }

    [Fact]
    public void AFieldTwoAppliersShareSurvivesWhenOneLetsGo()
    {
        var live = Apply(null, WebDeployment(replicas: 3));
        var other = Parse("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"demo"},"spec":{"replicas":3}}""");
        live = Apply(live, other, manager: "other");

        // Same value: no conflict, shared ownership. The object did not change, so upstream does not stamp the new entry.
        Assert.Equal("""{"f:spec":{"f:replicas":{}}}""", FieldsOf(live, "other"));
        Assert.Null(Entry(live, "other").Time);
        Assert.True(Entry(live, "test").Fields.Has(FieldSetPath.Fields("spec", "replicas")));

        var config = WebDeployment();
        Spec(config).Remove("replicas");
        var result = Apply(live, config);
        Assert.Equal(3, (int)Spec(result)["replicas"]!);
        Assert.False(Entry(result, "test").Fields.Has(FieldSetPath.Fields("spec", "replicas")));
        Assert.Equal("""{"f:spec":{"f:replicas":{}}}""", FieldsOf(result, "other"));
    }

    [Fact]
    public void ChangingAFieldAnUpdaterOwnsConflicts()
    {
        var live = CreatedClientSide(WebDeployment(replicas: 3));
        var e = Assert.Throws<FieldConflictException>(() => Apply(live, WebDeployment(replicas: 5), manager: "test-applier"));
        Assert.Equal("Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using apps/v1: .spec.replicas", e.Message);
        var conflict = Assert.Single(e.Conflicts);
        Assert.Equal(".spec.replicas", conflict.Path.ToString());
        Assert.Equal("conflict with \"kubectl-client-side-apply\" using apps/v1", conflict.CauseMessage);
        Assert.Equal("FieldManagerConflict", FieldConflictException.CauseReason);
    }

    [Fact]
    public void ApplyingTheValueAnUpdaterSetSharesOwnership()
    {
        var live = CreatedClientSide(WebDeployment(replicas: 3));
        var result = Apply(live, WebDeployment(replicas: 3), manager: "test-applier");
        var replicas = FieldSetPath.Fields("spec", "replicas");
        Assert.True(Entry(result, "kubectl-client-side-apply").Fields.Has(replicas));
        Assert.True(Entry(result, "test-applier").Fields.Has(replicas));
    }

    [Fact]
    public void ForceMovesOwnershipToTheApplier()
    {
        var live = CreatedClientSide(WebDeployment(replicas: 3));
        var result = Apply(live, WebDeployment(replicas: 5, image: "nginx:1.27"), manager: "test-applier", force: true);
        Assert.Equal(5, (int)Spec(result)["replicas"]!);
        var updater = Entry(result, "kubectl-client-side-apply").Fields;
        Assert.False(updater.Has(FieldSetPath.Fields("spec", "replicas")));
        Assert.True(updater.Has(FieldSetPath.Fields("spec", "selector")));
        Assert.True(Entry(result, "test-applier").Fields.Has(FieldSetPath.Fields("spec", "replicas")));
    }

    [Fact]
    public void SeveralConflictsAreListedByManager()
    {
        var live = CreatedClientSide(WebDeployment(replicas: 3));
        var e = Assert.Throws<FieldConflictException>(() => Apply(live, WebDeployment(replicas: 5, image: "nginx:1.27"), manager: "test-applier"));
        Assert.Equal(
            "Apply failed with 2 conflicts: conflicts with \"kubectl-client-side-apply\" using apps/v1:\n"
            + "- .spec.replicas\n"
            + "- .spec.template.spec.containers[name=\"nginx\"].image",
            e.Message);
        Assert.Equal([".spec.replicas", ".spec.template.spec.containers[name=\"nginx\"].image"], e.Conflicts.Select(c => c.Path.ToString()));
    }

    [Fact]
    public void ConflictsWithAnotherApplierNameOnlyTheApplier()
    {
        var live = Apply(null, WebDeployment(replicas: 3), manager: "a");
        var e = Assert.Throws<FieldConflictException>(() => Apply(live, WebDeployment(replicas: 4), manager: "b"));
        Assert.Equal("Apply failed with 1 conflict: conflict with \"a\": .spec.replicas", e.Message);
    }

    [Fact]
    public void KubectlTakesOverFieldsItAppliedClientSide()
    {
        // kubectl apply, then kubectl apply --server-side with a new replica count: the old value is still the
        // last-applied one, so the conflict with kubectl-client-side-apply is kubectl's own and is forced.
        var live = CreatedClientSide(WebDeployment(replicas: 3));
        var config = WebDeployment(replicas: 5);
        var result = Apply(live, config, manager: "kubectl");
        Assert.Equal(5, (int)Spec(result)["replicas"]!);
        Assert.True(Entry(result, "kubectl").Fields.Has(FieldSetPath.Fields("spec", "replicas")));
        Assert.False(Entry(result, "kubectl-client-side-apply").Fields.Has(FieldSetPath.Fields("spec", "replicas")));
        Assert.Equal(LastAppliedConfiguration.Build(config), LastAppliedConfiguration.Get(result));
        Assert.StartsWith("{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"labels\":{\"app\":\"web\"},\"name\":\"web\"",
            LastAppliedConfiguration.Get(result));
        Assert.EndsWith("}\n", LastAppliedConfiguration.Get(result));
    }

    [Fact]
    public void KubectlStillConflictsWithChangesMadeSinceTheLastClientSideApply()
    {
        var live = CreatedClientSide(WebDeployment(replicas: 3));
        var scaled = (JsonObject)live.DeepClone();
        Spec(scaled)["replicas"] = 7;
        fm.RecordUpdate(live, scaled, "hpa-controller", "Update", null, UpdateOf(Deployment));
        var e = Assert.Throws<FieldConflictException>(() => Apply(scaled, WebDeployment(replicas: 5), manager: "kubectl"));
        Assert.Equal("Apply failed with 1 conflict: conflict with \"hpa-controller\" using apps/v1: .spec.replicas", e.Message);
    }

    [Fact]
    public void OtherManagersDoNotGetTheClientSideUpgrade()
    {
        var live = CreatedClientSide(WebDeployment(replicas: 3));
        Assert.Throws<FieldConflictException>(() => Apply(live, WebDeployment(replicas: 5), manager: "argocd"));
    }

    [Fact]
    public void AnUpdateTakesFieldsFromAnApplier()
    {
        var live = Apply(null, WebDeployment(replicas: 3), manager: "a");
        var scaled = (JsonObject)live.DeepClone();
        Spec(scaled)["replicas"] = 4;
        fm.RecordUpdate(live, scaled, "kubectl-scale", "Update", null, UpdateOf(Deployment));
        Assert.False(Entry(scaled, "a").Fields.Has(FieldSetPath.Fields("spec", "replicas")));
        Assert.Equal("""{"f:spec":{"f:replicas":{}}}""", FieldsOf(scaled, "kubectl-scale"));
        var e = Assert.Throws<FieldConflictException>(() => Apply(scaled, WebDeployment(replicas: 3), manager: "a"));
        Assert.Contains("conflict with \"kubectl-scale\" using apps/v1: .spec.replicas", e.Message);
    }

    [Fact]
    public void ApplyMergesContainersByNameAndKeepsOtherManagersContainers()
    {
        var live = Apply(null, WebDeployment(), manager: "a");
        var withSidecar = (JsonObject)live.DeepClone();
        Containers(withSidecar).Add(JsonNode.Parse("""{"name":"sidecar","image":"envoy"}"""));
        fm.RecordUpdate(live, withSidecar, "injector", "Update", null, UpdateOf(Deployment));

        var config = WebDeployment();
        Containers(config).Add(JsonNode.Parse("""{"name":"extra","image":"busybox"}"""));
        var result = Apply(withSidecar, config, manager: "a");
        Assert.Equal(["nginx", "sidecar", "extra"], Containers(result).Select(c => (string)c!["name"]!));

        // Leaving "extra" out again removes it; the injector's container stays.
        var back = Apply(result, WebDeployment(), manager: "a");
        Assert.Equal(["nginx", "sidecar"], Containers(back).Select(c => (string)c!["name"]!));
    }

    [Fact]
    public void SharedItemsFollowTheConfigurationOrder()
    {
        var config = WebDeployment();
        Containers(config).Add(JsonNode.Parse("""{"name":"b","image":"b"}"""));
        var live = Apply(null, config);
        var reordered = WebDeployment();
        Containers(reordered).Insert(0, JsonNode.Parse("""{"name":"b","image":"b"}"""));
        var result = Apply(live, reordered);
        Assert.Equal(["b", "nginx"], Containers(result).Select(c => (string)c!["name"]!));
    }

    [Fact]
    public void SetsMergeByValue()
    {
        var live = Apply(null, Parse("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","finalizers":["a","b"]}}"""), manager: "x");
        var result = Apply(live, Parse("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","finalizers":["c","a"]}}"""), manager: "y");
        Assert.Equal(["c", "a", "b"], result["metadata"]!["finalizers"]!.AsArray().Select(f => (string)f!));
    }

    [Fact]
    public void AtomicListsAndSelectorsAreReplacedWholesale()
    {
        var config = WebDeployment();
        ((JsonObject)Containers(config)[0]!)["args"] = new JsonArray("a", "b");
        var live = Apply(null, config);
        var next = WebDeployment();
        ((JsonObject)Containers(next)[0]!)["args"] = new JsonArray("c");
        Spec(next)["selector"] = JsonNode.Parse("""{"matchExpressions":[{"key":"app","operator":"Exists"}]}""");
        var result = Apply(live, next);
        Assert.Equal("""["c"]""", Json(Containers(result)[0]!["args"]));
        Assert.Equal("""{"matchExpressions":[{"key":"app","operator":"Exists"}]}""", Json(Spec(result)["selector"]));
    }

    [Fact]
    public void TheFirstApplyToAnUntrackedObjectConflictsWithWhatIsThere()
    {
        var live = WebDeployment(replicas: 3);
        var e = Assert.Throws<FieldConflictException>(() => Apply(live, WebDeployment(replicas: 2), manager: "a"));
        Assert.Equal("Apply failed with 1 conflict: conflict with \"before-first-apply\" using apps/v1: .spec.replicas", e.Message);

        var result = Apply(live, WebDeployment(replicas: 3), manager: "a");
        Assert.Equal("Update", Entry(result, "before-first-apply").Operation);
    }

    [Fact]
    public void StatusIsNotOwnedThroughTheMainResource()
    {
        var config = WebDeployment();
        config["status"] = JsonNode.Parse("""{"replicas":9}""");
        var result = fm.Apply(null, config, "a", false, ApplyTo(Deployment) with { ResetFields = ResetFields.Status });
        Assert.False(Entry(result, "a").Fields.Has(FieldSetPath.Fields("status", "replicas")));
    }

    [Fact]
    public void ApplyingToTheStatusSubresourceRecordsIt()
    {
        var live = Apply(null, WebDeployment(), manager: "a");
        var status = Parse("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"demo"},"status":{"readyReplicas":3}}""");
        var result = fm.Apply(live, status, "status-writer", false,
            ApplyTo(Deployment) with { Subresource = "status", ResetFields = ResetFields.SpecAndLabels });
        var entry = Entry(result, "status-writer");
        Assert.Equal("status", entry.Subresource);
        Assert.Equal("""{"f:status":{"f:readyReplicas":{}}}""", entry.Fields.ToFieldsV1Json());
        Assert.Contains("\"subresource\":\"status\"", Json(result["metadata"]!["managedFields"]));
    }

    [Fact]
    public void TheWrongKindIsABadRequest()
    {
        var e = Assert.Throws<ApplyException>(() => fm.Apply(null, WebDeployment(), "a", false, ApplyTo(new("apps", "v1", "ReplicaSet"))));
        Assert.Equal((400, "BadRequest", "invalid object type: apps/v1, Kind=Deployment"), (e.Code, e.Reason, e.Message));

        var pod = Parse("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"}}""");
        e = Assert.Throws<ApplyException>(() => fm.Apply(null, pod, "a", false, ApplyTo(Deployment)));
        Assert.Equal("invalid object type: /v1, Kind=Pod", e.Message);
    }

    [Fact]
    public void ManagedFieldsInTheConfigurationAreABadRequest()
    {
        var config = WebDeployment();
        config["metadata"]!["managedFields"] = new JsonArray();
        var e = Assert.Throws<ApplyException>(() => Apply(null, config));
        Assert.Equal((400, "metadata.managedFields must be nil"), (e.Code, e.Message));
    }

    [Fact]
    public void AConfigurationThatDoesNotFitTheSchemaFailsAsUpstream()
    {
        var config = WebDeployment();
        Containers(config).Add(JsonNode.Parse("""{"name":"nginx","image":"other"}"""));
        var e = Assert.Throws<ApplyException>(() => Apply(null, config));
        Assert.Equal(500, e.Code);
        Assert.Equal("failed to create typed patch object (demo/web; apps/v1, Kind=Deployment): "
            + ".spec.template.spec.containers: duplicate entries for key [name=\"nginx\"]", e.Message);
    }

    [Fact]
    public void InputsAreNotModified()
    {
        var live = Apply(null, WebDeployment());
        var before = Json(live);
        var config = WebDeployment(replicas: 8);
        var configText = Json(config);
        _ = Apply(live, config, force: true);
        Assert.Equal(before, Json(live));
        Assert.Equal(configText, Json(config));
    }
}
