using System.Text.Json.Nodes;
using Korral.Api.Validation.Kinds.Core;

namespace Korral.Api.Tests.Validation.Kinds;

public class ServiceValidatorTests
{
    private static readonly ServiceValidator Validator = new();

    public static TheoryData<string, Action<JsonObject>, string[]> CreateCases => new()
    {
        { "valid", _ => { }, [] },
        {
            "name must be a DNS-1035 label",
            s => s["metadata"]!["name"] = "1web",
            ["metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"]
        },
        { "ports required", s => s.Spec()["ports"] = new JsonArray(), ["spec.ports: Required value"] },
        {
            "headless needs no ports",
            s =>
            {
                s.Spec()["ports"] = new JsonArray();
                s.Spec()["clusterIP"] = "None";
                s.Spec()["clusterIPs"] = new JsonArray("None");
            },
            []
        },
        {
            "port range",
            s => s.Spec()["ports"]![0]!["port"] = 0,
            ["spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive"]
        },
        {
            "names required with several ports",
            s => ((JsonArray)s.Spec()["ports"]!).Add(new JsonObject { ["port"] = 443, ["protocol"] = "TCP", ["targetPort"] = 443 }),
            ["spec.ports[0].name: Required value", "spec.ports[1].name: Required value"]
        },
        {
            "duplicate port names",
            s =>
            {
                s.Spec()["ports"]![0]!["name"] = "http";
                ((JsonArray)s.Spec()["ports"]!).Add(new JsonObject { ["name"] = "http", ["port"] = 443, ["protocol"] = "TCP", ["targetPort"] = 443 });
            },
            ["spec.ports[1].name: Duplicate value: \"http\""]
        },
        {
            "protocol",
            s => s.Spec()["ports"]![0]!["protocol"] = "HTTP",
            ["spec.ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\""]
        },
        {
            "type",
            s => s.Spec()["type"] = "Ingress",
            ["spec.type: Unsupported value: \"Ingress\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\""]
        },
        {
            "node port on ClusterIP",
            s => s.Spec()["ports"]![0]!["nodePort"] = 30080,
            ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]
        },
        {
            "duplicate ports",
            s => ((JsonArray)s.Spec()["ports"]!).Add(new JsonObject { ["name"] = "b", ["port"] = 80, ["protocol"] = "TCP", ["targetPort"] = 80 }),
            [
                "spec.ports[0].name: Required value",
                "spec.ports[1]: Duplicate value: core.ServicePort{Name:\"\", Protocol:\"TCP\", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}",
            ]
        },
        {
            "clusterIPs must match clusterIP",
            s => s.Spec()["clusterIPs"] = new JsonArray("10.96.0.11"),
            ["spec.clusterIPs: Invalid value: []string{\"10.96.0.11\"}: first value must match `clusterIP`"]
        },
        {
            "invalid cluster IP",
            s =>
            {
                s.Spec()["clusterIP"] = "10.96.0";
                s.Spec()["clusterIPs"] = new JsonArray("10.96.0");
            },
            ["spec.clusterIPs[0]: Invalid value: \"10.96.0\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"]
        },
        {
            "session affinity",
            s => s.Spec()["sessionAffinity"] = "Cookie",
            ["spec.sessionAffinity: Unsupported value: \"Cookie\": supported values: \"ClientIP\", \"None\""]
        },
        {
            "external name needs a name",
            s =>
            {
                s.Spec()["type"] = "ExternalName";
                s.Spec().Remove("clusterIP");
                s.Spec().Remove("clusterIPs");
                s.Spec().Remove("ipFamilies");
                s.Spec().Remove("ipFamilyPolicy");
                s.Spec().Remove("internalTrafficPolicy");
            },
            ["spec.externalName: Required value"]
        },
        {
            "headless LoadBalancer",
            s =>
            {
                s.Spec()["type"] = "LoadBalancer";
                s.Spec()["clusterIP"] = "None";
                s.Spec()["clusterIPs"] = new JsonArray("None");
                s.Spec()["externalTrafficPolicy"] = "Cluster";
                s.Spec()["allocateLoadBalancerNodePorts"] = true;
            },
            ["spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for LoadBalancer services"]
        },
    };

    [Theory]
    [MemberData(nameof(CreateCases))]
    public void Create(string name, Action<JsonObject> edit, string[] expected)
    {
        _ = name;
        Assert.Equal(expected, Validator.ValidateCreate(TestObjects.Service().With(edit)).Select(e => e.ToString()));
    }

    [Fact]
    public void ClusterIPIsImmutable()
    {
        var old = TestObjects.Service();
        var changed = TestObjects.Service().With(s =>
        {
            s.Spec()["clusterIP"] = "10.96.0.20";
            s.Spec()["clusterIPs"] = new JsonArray("10.96.0.20");
        });
        Assert.Equal(["spec.clusterIPs[0]: Invalid value: []string{\"10.96.0.20\"}: may not change once set"],
            Validator.ValidateUpdate(changed, old).Select(e => e.ToString()));
    }

    [Fact]
    public void ClusterIPMayChangeToAndFromExternalName()
    {
        var old = TestObjects.Service();
        var external = TestObjects.Service().With(s =>
        {
            s.Spec()["type"] = "ExternalName";
            s.Spec()["externalName"] = "example.com";
            foreach (var f in new[] { "clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy", "internalTrafficPolicy", "selector" })
            {
                s.Spec().Remove(f);
            }
        });
        Assert.Empty(Validator.ValidateUpdate(external, old));
        Assert.Empty(Validator.ValidateUpdate(old, external));
    }

    [Fact]
    public void NodePortRangeIsTheAllocatorsMessage()
    {
        var svc = TestObjects.Service().With(s => s.Spec()["ports"]![0]!["nodePort"] = 80);
        Assert.Equal(["spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767"],
            ServiceValidator.ValidateNodePortRange(svc, 30000, 32767).Select(e => e.ToString()));
    }
}
