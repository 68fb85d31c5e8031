using System.Text;
using System.Text.Json.Nodes;
using Korral.Api.Protobuf;

namespace Korral.Api.Tests.Protobuf;

public class ProtobufEnvelopeTests
{
    // kubectl 1.33 `create configmap cfg --from-literal=k=v`, as recorded in docs/kubectl-compat.md section 4.6.
    private const string ConfigMapHex =
        "6b387300 0a0f 0a027631 1209 436f6e6669674d6170 121d 0a13 0a03636667 1200 1a00 2200 2a00 3200 3800 4200 1206 0a016b 120176 1a00 2200";

    private static void AssertJson(string expected, JsonNode actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {expected}\n  actual {actual.ToJsonString()}");

    [Fact]
    public void DecodesTheDocumentedConfigMap()
    {
        var body = Fixtures.Hex(ConfigMapHex);
        Assert.True(ProtobufEnvelope.HasMagic(body));
        var obj = ProtobufEnvelope.Decode(body);
        Assert.Equal("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg"},"data":{"k":"v"}}""", obj.ToJsonString());
    }

    [Fact]
    public void SecretDataIsBase64AndEmptyValuesStay()
    {
        var raw = new ProtoWriter()
            .Message(1, ProtoWriter.Meta("s1", "default"))
            .Message(2, e => e.String(1, "password").Bytes(2, Encoding.UTF8.GetBytes("s3cr3t")))
            .Message(2, e => e.String(1, "empty").Bytes(2, []))
            .Message(2, e => e.String(1, "binary").Bytes(2, [0, 1, 0xff]))
            .String(3, "Opaque")
            .ToArray();
        var obj = ProtobufEnvelope.Decode(ProtoWriter.Envelope("v1", "Secret", raw));
        AssertJson("""
            {"apiVersion":"v1","kind":"Secret","metadata":{"name":"s1","namespace":"default"},
             "data":{"password":"czNjcjN0","empty":"","binary":"AAH/"},"type":"Opaque"}
            """, obj);
    }

    [Fact]
    public void DeploymentWithResourcesAndZeroReplicas()
    {
        static Action<ProtoWriter> Quantity(string s) => q => q.String(1, s);
        var container = new Action<ProtoWriter>(c => c
            .String(1, "web").String(2, "nginx:1.27")
            .Message(6, p => p.String(1, "").Varint(2, 0).Varint(3, 8080).String(4, "TCP").String(5, ""))
            .Message(8, r => r
                .Message(1, e => e.String(1, "memory").Message(2, Quantity("128Mi")))
                .Message(2, e => e.String(1, "cpu").Message(2, Quantity("100m"))))
            .String(13, "").String(14, "IfNotPresent").Varint(16, 0).Varint(17, 0).Varint(18, 0));
        var raw = new ProtoWriter()
            .Message(1, ProtoWriter.Meta("web", "", ("app", "web")))
            .Message(2, spec => spec
                .Varint(1, 0) // replicas: a pointer, explicitly 0
                .Message(2, sel => sel.MapEntry(1, "app", "web"))
                .Message(3, tpl => tpl
                    .Message(1, ProtoWriter.Meta("", "", ("app", "web")))
                    .Message(2, pod => pod.Message(2, container).String(3, "Always").String(6, "ClusterFirst").Varint(11, 0)))
                .Message(4, strategy => strategy
                    .String(1, "RollingUpdate")
                    .Message(2, ru => ru
                        .Message(1, i => i.Varint(1, 0).Varint(2, 0).String(3, ""))     // maxUnavailable: 0 (pointer)
                        .Message(2, i => i.Varint(1, 1).Varint(2, 0).String(3, "25%")))) // maxSurge: "25%"
                .Varint(5, 0)
                .Varint(9, 600))
            .Message(3, _ => { })
            .ToArray();
        var obj = ProtobufEnvelope.Decode(ProtoWriter.Envelope("apps/v1", "Deployment", raw));
        AssertJson("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web"}},
             "spec":{"replicas":0,"selector":{"matchLabels":{"app":"web"}},
               "template":{"metadata":{"labels":{"app":"web"}},"spec":{
                 "containers":[{"name":"web","image":"nginx:1.27","ports":[{"containerPort":8080,"protocol":"TCP"}],
                   "resources":{"limits":{"memory":"128Mi"},"requests":{"cpu":"100m"}},"imagePullPolicy":"IfNotPresent"}],
                 "restartPolicy":"Always","dnsPolicy":"ClusterFirst"}},
               "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":0,"maxSurge":"25%"}},
               "progressDeadlineSeconds":600},
             "status":{}}
            """, obj);
        Assert.Equal(["apiVersion", "kind", "metadata", "spec", "status"], obj.Select(p => p.Key));
        Assert.Equal(600L, obj["spec"]!["progressDeadlineSeconds"]!.GetValue<long>());
        Assert.Equal(600.0, obj["spec"]!["progressDeadlineSeconds"]!.GetValue<double>());
    }

    [Fact]
    public void Namespace()
    {
        var raw = new ProtoWriter().Message(1, ProtoWriter.Meta("demo")).Message(2, _ => { }).Message(3, s => s.String(1, "")).ToArray();
        Assert.Equal("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"demo"},"spec":{},"status":{}}""",
            ProtobufEnvelope.Decode(ProtoWriter.Envelope("v1", "Namespace", raw)).ToJsonString());
    }

    [Fact]
    public void ServiceTargetPortIntOrString()
    {
        var raw = new ProtoWriter()
            .Message(1, ProtoWriter.Meta("web"))
            .Message(2, spec => spec
                .Message(1, p => p.String(1, "http").String(2, "TCP").Varint(3, 80).Message(4, t => t.Varint(1, 0).Varint(2, 8080).String(3, "")).Varint(5, 0))
                .Message(1, p => p.String(1, "https").String(2, "TCP").Varint(3, 443).Message(4, t => t.Varint(1, 1).Varint(2, 0).String(3, "https")).Varint(5, 0))
                .Message(1, p => p.String(1, "none").String(2, "TCP").Varint(3, 9000).Message(4, t => t.Varint(1, 0).Varint(2, 0).String(3, "")))
                .MapEntry(2, "app", "web")
                .String(3, "").String(4, "ClusterIP"))
            .Message(3, st => st.Message(1, _ => { }))
            .ToArray();
        var obj = ProtobufEnvelope.Decode(ProtoWriter.Envelope("v1", "Service", raw));
        AssertJson("""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},
             "spec":{"ports":[{"name":"http","protocol":"TCP","port":80,"targetPort":8080},
                              {"name":"https","protocol":"TCP","port":443,"targetPort":"https"},
                              {"name":"none","protocol":"TCP","port":9000}],
                     "selector":{"app":"web"},"type":"ClusterIP"},
             "status":{"loadBalancer":{}}}
            """, obj);
    }

    [Fact]
    public void JobWithPointerFieldsAndTimes()
    {
        var raw = new ProtoWriter()
            .Message(1, m => m.String(1, "j1").String(3, "default").Message(8, t => t.Varint(1, 1700000000).Varint(2, 5)))
            .Message(2, spec => spec
                .Varint(1, 2)   // parallelism
                .Varint(7, 0)   // backoffLimit: 0, a pointer
                .Varint(10, 0)  // suspend: false, a pointer
                .Message(6, tpl => tpl.Message(2, pod => pod
                    .Message(2, c => c.String(1, "j1").String(2, "busybox").String(3, "echo").String(3, "hi").Message(8, _ => { }))
                    .String(3, "Never"))))
            .Message(3, st => st.Message(2, t => t.Varint(1, 1700000000)).Varint(4, 0))
            .ToArray();
        var obj = ProtobufEnvelope.Decode(ProtoWriter.Envelope("batch/v1", "Job", raw));
        AssertJson("""
            {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"j1","namespace":"default","creationTimestamp":"2023-11-14T22:13:20Z"},
             "spec":{"parallelism":2,"backoffLimit":0,"suspend":false,"template":{"spec":{
               "containers":[{"name":"j1","image":"busybox","command":["echo","hi"],"resources":{}}],"restartPolicy":"Never"}}},
             "status":{"startTime":"2023-11-14T22:13:20Z"}}
            """, obj);
    }

    [Fact]
    public void InlineEmbeddedStructsAreFlattened()
    {
        // Volume embeds VolumeSource; ConfigMapVolumeSource embeds LocalObjectReference (field "localObjectReference").
        var raw = new ProtoWriter()
            .Message(1, ProtoWriter.Meta("p"))
            .Message(2, spec => spec
                .Message(1, v => v.String(1, "cfg").Message(2, src => src.Message(19, cm => cm.Message(1, r => r.String(1, "my-config")).Varint(3, 420))))
                .Message(2, c => c.String(1, "app").String(2, "nginx")
                    .Message(7, e => e.String(1, "K").String(2, "").Message(3, vf => vf.Message(3, sel => sel.Message(1, r => r.String(1, "my-config")).String(2, "key")))))
            )
            .ToArray();
        var obj = ProtobufEnvelope.Decode(ProtoWriter.Envelope("v1", "Pod", raw));
        AssertJson("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{
              "volumes":[{"name":"cfg","configMap":{"name":"my-config","defaultMode":420}}],
              "containers":[{"name":"app","image":"nginx","env":[{"name":"K","valueFrom":{"configMapKeyRef":{"name":"my-config","key":"key"}}}]}]}}
            """, obj);
    }

    [Fact]
    public void UnknownFieldsAreSkipped()
    {
        var raw = new ProtoWriter()
            .Message(1, ProtoWriter.Meta("cfg"))
            .Varint(99, 12345)
            .String(100, "future")
            .MapEntry(2, "k", "v")
            .ToArray();
        Assert.Equal("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg"},"data":{"k":"v"}}""",
            ProtobufEnvelope.Decode(ProtoWriter.Envelope("v1", "ConfigMap", raw)).ToJsonString());
    }

    [Fact]
    public void RawExtensionAndFieldsV1EmbedJson()
    {
        var raw = new ProtoWriter()
            .Message(1, m => m.String(1, "rev").Message(17, mf => mf.String(1, "kubectl").String(2, "Update").String(3, "apps/v1")
                .String(6, "FieldsV1").Message(7, f => f.Bytes(1, Encoding.UTF8.GetBytes("""{"f:spec":{}}""")))))
            .Message(2, d => d.Bytes(1, Encoding.UTF8.GetBytes("""{"spec":{"x":1}}""")))
            .Varint(3, 4)
            .ToArray();
        var obj = ProtobufEnvelope.Decode(ProtoWriter.Envelope("apps/v1", "ControllerRevision", raw));
        AssertJson("""
            {"apiVersion":"apps/v1","kind":"ControllerRevision",
             "metadata":{"name":"rev","managedFields":[{"manager":"kubectl","operation":"Update","apiVersion":"apps/v1","fieldsType":"FieldsV1","fieldsV1":{"f:spec":{}}}]},
             "data":{"spec":{"x":1}},"revision":4}
            """, obj);
    }

    [Theory]
    [InlineData("v1", "ConfigMap", "k8s.io.api.core.v1.ConfigMap")]
    [InlineData("apps/v1", "Deployment", "k8s.io.api.apps.v1.Deployment")]
    [InlineData("batch/v1", "Job", "k8s.io.api.batch.v1.Job")]
    [InlineData("authentication.k8s.io/v1", "TokenRequest", "k8s.io.api.authentication.v1.TokenRequest")]
    [InlineData("networking.k8s.io/v1", "Ingress", "k8s.io.api.networking.v1.Ingress")]
    [InlineData("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "k8s.io.api.rbac.v1.ClusterRoleBinding")]
    [InlineData("discovery.k8s.io/v1", "EndpointSlice", "k8s.io.api.discovery.v1.EndpointSlice")]
    [InlineData("coordination.k8s.io/v1", "Lease", "k8s.io.api.coordination.v1.Lease")]
    [InlineData("scheduling.k8s.io/v1", "PriorityClass", "k8s.io.api.scheduling.v1.PriorityClass")]
    [InlineData("storage.k8s.io/v1", "StorageClass", "k8s.io.api.storage.v1.StorageClass")]
    [InlineData("events.k8s.io/v1", "Event", "k8s.io.api.events.v1.Event")]
    [InlineData("policy/v1", "Eviction", "k8s.io.api.policy.v1.Eviction")]
    [InlineData("autoscaling/v2", "HorizontalPodAutoscaler", "k8s.io.api.autoscaling.v2.HorizontalPodAutoscaler")]
    [InlineData("meta.k8s.io/v1", "DeleteOptions", "k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions")]
    [InlineData("v1", "DeleteOptions", "k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions")]
    public void MapsKindsToMessages(string apiVersion, string kind, string message) =>
        Assert.Equal(message, ProtobufEnvelope.FindMessage(apiVersion, kind)?.FullName);

    [Fact]
    public void GoDurationsAndTimes()
    {
        Assert.Equal("0s", ProtobufDecoder.FormatGoDuration(0));
        Assert.Equal("1h0m0s", ProtobufDecoder.FormatGoDuration(3_600_000_000_000));
        Assert.Equal("1m30.5s", ProtobufDecoder.FormatGoDuration(90_500_000_000));
        Assert.Equal("300ms", ProtobufDecoder.FormatGoDuration(300_000_000));
        Assert.Equal("1.5µs", ProtobufDecoder.FormatGoDuration(1_500));
        Assert.Equal("-2s", ProtobufDecoder.FormatGoDuration(-2_000_000_000));
        Assert.Equal("1970-01-01T00:00:00Z", ProtobufDecoder.FormatTime(0, 0, micro: false));
        Assert.Equal("2023-11-14T22:13:20.123456Z", ProtobufDecoder.FormatTime(1700000000, 123_456_789, micro: true));
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "no magic", "0a0f0a0276311209" },
        { "truncated envelope", "6b387300 0a0f 0a02" },
        { "length past end", "6b387300 0a0f 0a027631 1209 436f6e6669674d6170 12ff01 0a" },
        { "truncated varint", "6b387300 0a0f 0a027631 1209 436f6e6669674d6170 1203 38ffff" },
        { "bad wire type in raw", "6b387300 0a0f 0a027631 1209 436f6e6669674d6170 1202 0f00" },
        { "name is a varint", "6b387300 0a0f 0a027631 1209 436f6e6669674d6170 1204 0a020801" },
        { "invalid utf-8", "6b387300 0a0f 0a027631 1209 436f6e6669674d6170 1205 0a030a01ff" },
        { "field number zero", "6b387300 0a0f 0a027631 1209 436f6e6669674d6170 1202 0000" },
        { "content encoding", "6b387300 0a0f 0a027631 1209 436f6e6669674d6170 1200 1a04677a6970" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void MalformedInputThrowsFormatException(string what, string hex)
    {
        var e = Assert.ThrowsAny<ProtobufFormatException>(() => ProtobufEnvelope.Decode(Fixtures.Hex(hex)));
        Assert.False(string.IsNullOrEmpty(e.Message), what);
    }

    [Fact]
    public void UnknownKindIsUnsupported()
    {
        var body = ProtoWriter.Envelope("example.com/v1", "Widget", new ProtoWriter().Message(1, ProtoWriter.Meta("w")).ToArray());
        var e = Assert.Throws<ProtobufUnsupportedKindException>(() => ProtobufEnvelope.Decode(body));
        Assert.Equal("Widget", e.Kind);
    }

    [Fact]
    public void DeeplyNestedEnvelopesAreRefused()
    {
        // A RawExtension inside a RawExtension inside ... must not blow the stack.
        var inner = new ProtoWriter().Message(1, ProtoWriter.Meta("x")).ToArray();
        var body = ProtoWriter.Envelope("apps/v1", "ControllerRevision", inner);
        for (var i = 0; i < 200; i++)
        {
            var raw = new ProtoWriter().Message(1, ProtoWriter.Meta("x")).Message(2, d => d.Bytes(1, body)).ToArray();
            body = ProtoWriter.Envelope("apps/v1", "ControllerRevision", raw);
        }

        Assert.ThrowsAny<ProtobufFormatException>(() => ProtobufEnvelope.Decode(body));
    }
}
