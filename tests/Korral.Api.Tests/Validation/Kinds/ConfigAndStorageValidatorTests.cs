using System.Text.Json.Nodes;
using Korral.Api.Validation;

namespace Korral.Api.Tests.Validation.Kinds;

public class ConfigAndStorageValidatorTests
{
    private static IObjectValidator For(string group, string kind) => ObjectValidatorRegistry.Default.Find(group, kind)!;

    private static string[] Create(string group, string kind, string json) =>
        For(group, kind).ValidateCreate(TestObjects.Defaulted(group, kind, json)).Select(e => e.ToString()).ToArray();

    private static string[] Update(string group, string kind, string json, string oldJson) =>
        For(group, kind).ValidateUpdate(TestObjects.Defaulted(group, kind, json), TestObjects.Defaulted(group, kind, oldJson))
            .Select(e => e.ToString()).ToArray();

    [Fact]
    public void ConfigMapKeysAndSize()
    {
        Assert.Empty(Create("", "ConfigMap", """{"metadata":{"name":"webapp-config","namespace":"default"},"data":{"WEBAPP_ENV":"production","DATABASE_URL":"redis://x"}}"""));
        Assert.Equal(
            ["data[a b]: Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"],
            Create("", "ConfigMap", """{"metadata":{"name":"c","namespace":"default"},"data":{"a b":"x"}}"""));
        Assert.Equal(["data[k]: Invalid value: \"k\": duplicate of key present in binaryData"],
            Create("", "ConfigMap", """{"metadata":{"name":"c","namespace":"default"},"data":{"k":"x"},"binaryData":{"k":"eA=="}}"""));
        var big = new string('x', 1024 * 1024 + 1);
        Assert.Equal([": Too long: may not be more than 1048576 bytes"],
            Create("", "ConfigMap", "{\"metadata\":{\"name\":\"c\",\"namespace\":\"default\"},\"data\":{\"k\":\"" + big + "\"}}"));
        Assert.Equal(["data: Forbidden: field is immutable when `immutable` is set"],
            Update("", "ConfigMap",
                """{"metadata":{"name":"c","namespace":"default"},"immutable":true,"data":{"k":"2"}}""",
                """{"metadata":{"name":"c","namespace":"default"},"immutable":true,"data":{"k":"1"}}"""));
    }

    [Fact]
    public void SecretTypesAndImmutability()
    {
        Assert.Empty(Create("", "Secret", """{"metadata":{"name":"db-credentials","namespace":"default"},"type":"Opaque","data":{"username":"YWRtaW4=","password":"czNjcmV0LXBhc3M="}}"""));
        Assert.Equal(["data[tls.crt]: Required value", "data[tls.key]: Required value"],
            Create("", "Secret", """{"metadata":{"name":"tls","namespace":"default"},"type":"kubernetes.io/tls","data":{}}"""));
        Assert.Equal(["metadata.annotations[kubernetes.io/service-account.name]: Required value"],
            Create("", "Secret", """{"metadata":{"name":"t","namespace":"default"},"type":"kubernetes.io/service-account-token"}"""));
        Assert.Equal(["type: Invalid value: \"kubernetes.io/basic-auth\": field is immutable"],
            Update("", "Secret",
                """{"metadata":{"name":"s","namespace":"default"},"type":"kubernetes.io/basic-auth","data":{"username":"eA=="}}""",
                """{"metadata":{"name":"s","namespace":"default"},"type":"Opaque","data":{"username":"eA=="}}"""));
    }

    [Fact]
    public void NamespacesAreClusterScopedLabels()
    {
        Assert.Empty(Create("", "Namespace", """{"metadata":{"name":"team-a"}}"""));
        Assert.Equal(["metadata.name: Invalid value: \"team.a\": must not contain dots"], Create("", "Namespace", """{"metadata":{"name":"team.a"}}"""));
        Assert.Equal(["metadata.namespace: Forbidden: not allowed on this type"], Create("", "Namespace", """{"metadata":{"name":"a","namespace":"b"}}"""));
        Assert.Equal(["spec.finalizers: Invalid value: \"custom\": name is neither a standard finalizer name nor is it fully qualified"],
            Create("", "Namespace", """{"metadata":{"name":"a"},"spec":{"finalizers":["custom"]}}"""));
    }

    [Fact]
    public void ClaimsAndVolumes()
    {
        Assert.Empty(Create("", "PersistentVolumeClaim", """{"metadata":{"name":"database-pvc","namespace":"default"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}"""));
        Assert.Equal(
            ["spec.accessModes: Required value: at least 1 access mode is required", "spec.resources[storage]: Required value"],
            Create("", "PersistentVolumeClaim", """{"metadata":{"name":"c","namespace":"default"},"spec":{}}"""));
        Assert.Equal(
            ["spec.accessModes: Unsupported value: \"ReadWriteSometimes\": supported values: \"ReadOnlyMany\", \"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\""],
            Create("", "PersistentVolumeClaim", """{"metadata":{"name":"c","namespace":"default"},"spec":{"accessModes":["ReadWriteSometimes"],"resources":{"requests":{"storage":"1Gi"}}}}"""));
        Assert.Equal(["spec.resources[storage]: Invalid value: \"0\": must be greater than zero"],
            Create("", "PersistentVolumeClaim", """{"metadata":{"name":"c","namespace":"default"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"0"}}}}"""));

        var update = Update("", "PersistentVolumeClaim",
            """{"metadata":{"name":"c","namespace":"default"},"spec":{"accessModes":["ReadWriteMany"],"resources":{"requests":{"storage":"1Gi"}}}}""",
            """{"metadata":{"name":"c","namespace":"default"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}""");
        Assert.StartsWith("spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n", Assert.Single(update));

        Assert.Empty(Create("", "PersistentVolume", """{"metadata":{"name":"pv1"},"spec":{"accessModes":["ReadWriteOnce"],"capacity":{"storage":"1Gi"},"hostPath":{"path":"/data"}}}"""));
        Assert.Equal(["spec: Required value: must specify a volume type"],
            Create("", "PersistentVolume", """{"metadata":{"name":"pv1"},"spec":{"accessModes":["ReadWriteOnce"],"capacity":{"storage":"1Gi"}}}"""));
    }

    [Fact]
    public void StorageAndScheduling()
    {
        Assert.Empty(Create("storage.k8s.io", "StorageClass", """{"metadata":{"name":"standard"},"provisioner":"korral.io/local-path"}"""));
        Assert.Equal(["reclaimPolicy: Unsupported value: \"Recycle\": supported values: \"Delete\", \"Retain\""],
            Create("storage.k8s.io", "StorageClass", """{"metadata":{"name":"s"},"provisioner":"p","reclaimPolicy":"Recycle"}"""));
        Assert.Equal(["provisioner: Forbidden: updates to provisioner are forbidden."],
            Update("storage.k8s.io", "StorageClass", """{"metadata":{"name":"s"},"provisioner":"b"}""", """{"metadata":{"name":"s"},"provisioner":"a"}"""));

        Assert.Empty(Create("scheduling.k8s.io", "PriorityClass", """{"metadata":{"name":"high"},"value":1000}"""));
        Assert.Equal(["value: Forbidden: maximum allowed value of a user defined priority is 1000000000"],
            Create("scheduling.k8s.io", "PriorityClass", """{"metadata":{"name":"high"},"value":1000000001}"""));
        Assert.Equal(["metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-x is not a known system priority class"],
            Create("scheduling.k8s.io", "PriorityClass", """{"metadata":{"name":"system-x"},"value":1}"""));
        Assert.Equal(["value: Forbidden: may not be changed in an update."],
            Update("scheduling.k8s.io", "PriorityClass", """{"metadata":{"name":"p"},"value":2}""", """{"metadata":{"name":"p"},"value":1}"""));
    }
}
