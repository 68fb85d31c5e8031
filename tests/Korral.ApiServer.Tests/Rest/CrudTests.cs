using System.Globalization;
using System.Text.Json.Nodes;
using Korral.ApiServer.Tests.Fixtures;

namespace Korral.ApiServer.Tests.Rest;

/// <summary>Create, get, list, update, conflict, delete and not-found on several kinds, with upstream's Status bodies.</summary>
public sealed class CrudTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private ApiClient Api => fixture.Api;

    /// <summary>One kind: where it lives, how upstream names it in messages, a manifest, and what its delete answers.</summary>
    public sealed record Kind(
        string Resource,
        string Group,
        string ApiVersion,
        string KindName,
        bool Namespaced,
        Func<string, string, JsonObject> Manifest,
        bool DeleteReturnsObject)
    {
        /// <summary>The resource as upstream's messages spell it: plural, with ".group" outside the core group.</summary>
        public string Qualified => Group.Length == 0 ? Resource : $"{Resource}.{Group}";

        public string Collection(string ns)
        {
            var root = Group.Length == 0 ? "/api/v1" : $"/apis/{ApiVersion}";
            return Namespaced ? $"{root}/namespaces/{ns}/{Resource}" : $"{root}/{Resource}";
        }

        public override string ToString() => Qualified;
    }

    private static readonly Dictionary<string, Kind> Kinds = new[]
    {
        new Kind("configmaps", "", "v1", "ConfigMap", true, (n, _) => Objects.ConfigMap(n), false),
        new Kind("secrets", "", "v1", "Secret", true, (n, _) => Objects.Secret(n), false),
        // Upstream's pod, service, PV and PVC storage answer a delete with the deleted object (ReturnDeletedObject).
        new Kind("pods", "", "v1", "Pod", true, (n, _) => Objects.Pod(n), true),
        new Kind("services", "", "v1", "Service", true, (n, _) => Objects.Service(n), true),
        new Kind("deployments", "apps", "apps/v1", "Deployment", true, (n, _) => Objects.Deployment(n), false),
        new Kind("nodes", "", "v1", "Node", false, (n, _) => Objects.Node(n), false),
        new Kind("leases", "coordination.k8s.io", "coordination.k8s.io/v1", "Lease", true, (n, _) => Objects.Lease(n), false),
        new Kind("events", "", "v1", "Event", true, (n, ns) => Objects.Event(n, ns, "some-pod"), false),
    }.ToDictionary(k => k.Qualified);

    public static TheoryData<string> KindNames() => new(Kinds.Keys);

    [Theory]
    [MemberData(nameof(KindNames))]
    public async Task Create_get_list_update_conflict_delete(string qualified)
    {
        var kind = Kinds[qualified];
        var ns = await fixture.NewNamespaceAsync();
        var name = kind.Namespaced ? "obj-1" : $"node-{Guid.NewGuid():N}"[..20];
        var collection = kind.Collection(ns);
        var path = $"{collection}/{name}";

        // Create: 201 with the server-set metadata.
        var createdResponse = await Api.PostAsync(collection, kind.Manifest(name, ns));
        ApiAssert.Code(201, createdResponse);
        var created = createdResponse.Object;
        Assert.Equal(kind.ApiVersion, (string?)created["apiVersion"]);
        Assert.Equal(kind.KindName, (string?)created["kind"]);
        var meta = created["metadata"]!;
        Assert.Equal(name, (string?)meta["name"]);
        if (kind.Namespaced)
        {
            Assert.Equal(ns, (string?)meta["namespace"]);
        }
        else
        {
            Assert.Null(meta["namespace"]);
        }

        Assert.True(Guid.TryParse((string?)meta["uid"], out _), $"uid is a UUID: {meta.ToJsonString()}");
        var timestamp = (string?)meta["creationTimestamp"] ?? "";
        Assert.True(DateTimeOffset.TryParseExact(timestamp, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when),
            $"creationTimestamp is RFC 3339 to the second in UTC: {timestamp}");
        Assert.InRange(when, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
        var rv1 = ApiAssert.Rv(created);
        Assert.True(rv1 > 0);

        // Get: the same object.
        var got = await Api.ReadAsync(path);
        Assert.Equal((string?)meta["uid"], (string?)got["metadata"]!["uid"]);
        Assert.Equal(rv1, ApiAssert.Rv(got));

        // List: kind XList with a list resourceVersion at least as new as the object.
        var list = await Api.ReadAsync(collection);
        Assert.Equal($"{kind.KindName}List", (string?)list["kind"]);
        Assert.Equal(kind.ApiVersion, (string?)list["apiVersion"]);
        Assert.True(ApiAssert.Rv(list) >= rv1);
        Assert.Contains(name, ApiAssert.Names(list));

        // Update with the current resourceVersion: 200 and a newer resourceVersion.
        var changed = got.DeepClone().AsObject();
        changed["metadata"]!["labels"] = new JsonObject { ["touched"] = "yes" };
        var updatedResponse = await Api.PutAsync(path, changed);
        ApiAssert.Code(200, updatedResponse);
        var updated = updatedResponse.Object;
        Assert.Equal("yes", (string?)updated["metadata"]!["labels"]!["touched"]);
        var rv2 = ApiAssert.Rv(updated);
        Assert.True(rv2 > rv1, $"resourceVersion moved forward: {rv1} → {rv2}");
        Assert.Equal((string?)meta["uid"], (string?)updated["metadata"]!["uid"]);
        Assert.Equal(timestamp, (string?)updated["metadata"]!["creationTimestamp"]);

        // Update with the old resourceVersion: 409 Conflict, nothing written.
        var stale = got.DeepClone().AsObject();
        stale["metadata"]!["labels"] = new JsonObject { ["touched"] = "again" };
        var conflict = await Api.PutAsync(path, stale);
        var status = ApiAssert.Failure(conflict, 409, "Conflict",
            $"Operation cannot be fulfilled on {kind.Qualified} \"{name}\": the object has been modified; please apply your changes to the latest version and try again");
        Assert.Equal(name, (string?)status["details"]!["name"]);
        Assert.Equal(kind.Resource, (string?)status["details"]!["kind"]);
        Assert.Equal(rv2, ApiAssert.Rv(await Api.ReadAsync(path)));

        // Create again: 409 AlreadyExists.
        var again = await Api.PostAsync(collection, kind.Manifest(name, ns));
        var exists = ApiAssert.Failure(again, 409, "AlreadyExists", $"{kind.Qualified} \"{name}\" already exists");
        Assert.Equal(name, (string?)exists["details"]!["name"]);
        Assert.Equal(kind.Resource, (string?)exists["details"]!["kind"]);
        Assert.Equal(kind.Group.Length == 0 ? null : kind.Group, (string?)exists["details"]!["group"]);

        // Delete: 200, with the deleted object or a Success Status as upstream's storage for the kind does.
        var deleted = await Api.DeleteAsync(path);
        ApiAssert.Code(200, deleted);
        var body = deleted.Object;
        if (kind.DeleteReturnsObject)
        {
            Assert.Equal(kind.KindName, (string?)body["kind"]);
            Assert.Equal((string?)meta["uid"], (string?)body["metadata"]!["uid"]);
        }
        else
        {
            Assert.Equal("Status", (string?)body["kind"]);
            Assert.Equal("Success", (string?)body["status"]);
            Assert.Equal(name, (string?)body["details"]!["name"]);
            Assert.Equal(kind.Resource, (string?)body["details"]!["kind"]);
            Assert.Equal((string?)meta["uid"], (string?)body["details"]!["uid"]);
        }

        // Get after delete: 404 with upstream's message.
        var missing = await Api.GetAsync(path);
        var notFound = ApiAssert.Failure(missing, 404, "NotFound", $"{kind.Qualified} \"{name}\" not found");
        Assert.Equal(name, (string?)notFound["details"]!["name"]);
        Assert.Equal(kind.Resource, (string?)notFound["details"]!["kind"]);
        Assert.DoesNotContain(name, ApiAssert.Names(await Api.ReadAsync(collection)));

        // Delete again: 404 too.
        ApiAssert.Failure(await Api.DeleteAsync(path), 404, "NotFound", $"{kind.Qualified} \"{name}\" not found");
    }

    [Fact]
    public async Task Delete_success_status_has_upstream_shape()
    {
        // Upstream: {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success","details":{"name":…,"kind":"configmaps","uid":…}}
        // (details.group is omitted when empty: the field is omitempty).
        var ns = await fixture.NewNamespaceAsync();
        var created = await Api.CreateAsync($"/api/v1/namespaces/{ns}/configmaps", Objects.ConfigMap("gone"));
        var deleted = await Api.DeleteAsync($"/api/v1/namespaces/{ns}/configmaps/gone");
        ApiAssert.Code(200, deleted);
        var details = deleted.Object["details"]!.AsObject();
        Assert.Equal("v1", (string?)deleted.Object["apiVersion"]);
        Assert.Equal("gone", (string?)details["name"]);
        Assert.Equal("configmaps", (string?)details["kind"]);
        Assert.Equal((string?)created["metadata"]!["uid"], (string?)details["uid"]);
        Assert.False(details.ContainsKey("group"), $"no empty group in {deleted}");
    }

    [Fact]
    public async Task Not_found_for_a_group_resource_names_the_group()
    {
        var ns = await fixture.NewNamespaceAsync();
        var missing = await Api.GetAsync($"/apis/apps/v1/namespaces/{ns}/deployments/x");
        var status = ApiAssert.Failure(missing, 404, "NotFound", "deployments.apps \"x\" not found");
        Assert.Equal("apps", (string?)status["details"]!["group"]);
        Assert.Equal("deployments", (string?)status["details"]!["kind"]);
    }

    [Fact]
    public async Task Conflict_on_configmap_has_upstream_message()
    {
        var ns = await fixture.NewNamespaceAsync();
        var created = await Api.CreateAsync($"/api/v1/namespaces/{ns}/configmaps", Objects.ConfigMap("x"));
        var first = created.DeepClone().AsObject();
        first["data"] = new JsonObject { ["k"] = "v2" };
        ApiAssert.Code(200, await Api.PutAsync($"/api/v1/namespaces/{ns}/configmaps/x", first));

        var second = created.DeepClone().AsObject();
        second["data"] = new JsonObject { ["k"] = "v3" };
        ApiAssert.Failure(await Api.PutAsync($"/api/v1/namespaces/{ns}/configmaps/x", second), 409, "Conflict",
            "Operation cannot be fulfilled on configmaps \"x\": the object has been modified; please apply your changes to the latest version and try again");
        Assert.Equal("v2", (string?)(await Api.ReadAsync($"/api/v1/namespaces/{ns}/configmaps/x"))["data"]!["k"]);
    }

    [Fact]
    public async Task GenerateName_gets_a_random_five_character_suffix()
    {
        var ns = await fixture.NewNamespaceAsync();
        var names = new HashSet<string>();
        for (var i = 0; i < 5; i++)
        {
            var body = Objects.ConfigMap("");
            body["metadata"] = new JsonObject { ["generateName"] = "gen-" };
            var created = await Api.CreateAsync($"/api/v1/namespaces/{ns}/configmaps", body);
            var name = (string?)created["metadata"]!["name"] ?? "";
            Assert.Matches("^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$", name);
            Assert.Equal("gen-", (string?)created["metadata"]!["generateName"]);
            names.Add(name);
            await Api.ReadAsync($"/api/v1/namespaces/{ns}/configmaps/{name}");
        }

        Assert.Equal(5, names.Count);
    }

    [Fact]
    public async Task Update_without_resourceVersion_replaces_unconditionally()
    {
        // ConfigMaps allow unconditional updates upstream (last write wins when no resourceVersion is sent).
        var ns = await fixture.NewNamespaceAsync();
        var created = await Api.CreateAsync($"/api/v1/namespaces/{ns}/configmaps", Objects.ConfigMap("u", new JsonObject { ["a"] = "1" }));
        var updated = await Api.PutAsync($"/api/v1/namespaces/{ns}/configmaps/u", Objects.ConfigMap("u", new JsonObject { ["a"] = "2" }));
        ApiAssert.Code(200, updated);
        Assert.Equal("2", (string?)updated.Object["data"]!["a"]);
        Assert.True(ApiAssert.Rv(updated.Object) > ApiAssert.Rv(created));
        Assert.Equal((string?)created["metadata"]!["uid"], (string?)updated.Object["metadata"]!["uid"]);
    }

    [Fact]
    public async Task Update_that_changes_nothing_keeps_the_resourceVersion()
    {
        var ns = await fixture.NewNamespaceAsync();
        var created = await Api.CreateAsync($"/api/v1/namespaces/{ns}/configmaps", Objects.ConfigMap("same"));
        var again = await Api.PutAsync($"/api/v1/namespaces/{ns}/configmaps/same", created);
        ApiAssert.Code(200, again);
        Assert.Equal(ApiAssert.Rv(created), ApiAssert.Rv(again.Object));
    }
}
