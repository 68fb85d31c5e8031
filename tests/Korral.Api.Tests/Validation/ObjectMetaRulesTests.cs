using System.Text.Json.Nodes;
using Korral.Api.Validation;
using Korral.Api.Validation.Rules;

namespace Korral.Api.Tests.Validation;

public class ObjectMetaRulesTests
{
    private static string[] Validate(string metadata, bool namespaced = true, NameValidator? rule = null) =>
        ObjectMetaRules.ValidateObjectMeta(TestObjects.Parse(metadata), namespaced, rule ?? NameRules.NameIsDnsSubdomain, FieldPath.Root("metadata"))
            .Select(e => e.ToString()).ToArray();

    [Fact]
    public void GenerateNameMayEndWithADash()
    {
        Assert.Empty(Validate("""{"generateName":"web-","name":"web-x7k2p","namespace":"default"}"""));
        Assert.Equal(
            ["metadata.generateName: Invalid value: \"Web-\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"],
            Validate("""{"generateName":"Web-","name":"web-x7k2p","namespace":"default"}"""));
    }

    [Fact]
    public void LabelKeysAnnotationsAndSize()
    {
        Assert.Equal(["metadata.labels: Invalid value: \"-bad\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"],
            Validate("""{"name":"a","namespace":"n","labels":{"-bad":"x"}}"""));
        Assert.Empty(Validate("""{"name":"a","namespace":"n","annotations":{"Example.COM/Key":"x"}}"""));
        var big = new string('x', 256 * 1024);
        Assert.Equal(["metadata.annotations: Too long: may not be more than 262144 bytes"],
            Validate("{\"name\":\"a\",\"namespace\":\"n\",\"annotations\":{\"k\":\"" + big + "\"}}"));
    }

    [Fact]
    public void OwnerReferencesAndFinalizers()
    {
        Assert.Equal(["metadata.ownerReferences.uid: Invalid value: \"\": uid must not be empty"],
            Validate("""{"name":"a","namespace":"n","ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"rs"}]}"""));
        Assert.Single(Validate("""
            {"name":"a","namespace":"n","ownerReferences":[
              {"apiVersion":"apps/v1","kind":"ReplicaSet","name":"a","uid":"1","controller":true},
              {"apiVersion":"apps/v1","kind":"ReplicaSet","name":"b","uid":"2","controller":true}]}
            """), e => e.Contains("Only one reference can have Controller set to true. Found \"true\" in references for ReplicaSet/a and ReplicaSet/b", StringComparison.Ordinal));
        Assert.Empty(Validate("""{"name":"a","namespace":"n","finalizers":["kubernetes.io/pvc-protection","foregroundDeletion"]}"""));
        Assert.Equal(["metadata.finalizers[0]: Invalid value: \"custom\": name is neither a standard finalizer name nor is it fully qualified"],
            Validate("""{"name":"a","namespace":"n","finalizers":["custom"]}"""));
    }

    [Fact]
    public void NoNewFinalizersWhileDeleting()
    {
        var old = TestObjects.Parse("""{"name":"a","namespace":"n","deletionTimestamp":"2025-01-01T00:00:00Z","finalizers":["a.io/x"]}""");
        var updated = TestObjects.Parse("""{"name":"a","namespace":"n","deletionTimestamp":"2025-01-01T00:00:00Z","finalizers":["a.io/x","b.io/y"]}""");
        Assert.Equal(["metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{\"b.io/y\"}"],
            ObjectMetaRules.ValidateObjectMetaUpdate(updated, old, FieldPath.Root("metadata")).Select(e => e.ToString()));
    }

    [Fact]
    public void LabelSelectors()
    {
        var selector = JsonNode.Parse("""{"matchExpressions":[{"key":"app","operator":"In"},{"key":"tier","operator":"Exists","values":["x"]},{"key":"k","operator":"Near"}]}""");
        Assert.Equal(
            [
                "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
                "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                "spec.selector.matchExpressions[2].operator: Invalid value: \"Near\": not a valid selector operator",
            ],
            ObjectMetaRules.ValidateLabelSelector(selector, FieldPath.Root("spec", "selector")).Select(e => e.ToString()));
    }

    [Fact]
    public void RegistryFallsBackToMetadataOnly()
    {
        var registry = ObjectValidatorRegistry.Default;
        Assert.NotNull(registry.Find("apps", "Deployment"));
        Assert.Null(registry.Find("example.com", "Widget"));
        var generic = registry.Get("example.com", "Widget", namespaced: true);
        Assert.Equal(["metadata.namespace: Required value"], generic.ValidateCreate(TestObjects.Parse("""{"metadata":{"name":"w"}}""")).Select(e => e.ToString()));
        Assert.Equal(37, registry.Kinds.Count());
    }
}
