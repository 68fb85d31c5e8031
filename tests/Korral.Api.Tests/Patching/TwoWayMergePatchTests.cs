using Korral.Api.Patching;
using Korral.Api.Schema;
using static Korral.Api.Tests.Patching.PatchJson;

namespace Korral.Api.Tests.Patching;

public class TwoWayMergePatchTests
{
    private static readonly StrategicMergePatch Smp = new(GeneratedSchemaCatalog.Instance);

    [Fact]
    public void Computes_the_patch_kubectl_sent_in_kubectl_compat_4_2()
    {
        var applied = Object("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"demo","labels":{"a":"1","b":"2"}},
             "spec":{"selector":{"matchLabels":{"app":"web"}},
              "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%"}},
              "template":{"metadata":{"labels":{"app":"web"}},"spec":{
               "containers":[
                 {"name":"a","image":"nginx","args":["x"],"env":[{"name":"E1","value":"1"},{"name":"E2","value":"2"}],
                  "ports":[{"containerPort":80},{"containerPort":443}]},
                 {"name":"b","image":"busybox"}],
               "volumes":[{"name":"v1","emptyDir":{}}]}}}}
            """);
        var edited = Object("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"demo","labels":{"a":"1"}},
             "spec":{"selector":{"matchLabels":{"app":"web"}},
              "strategy":{"type":"Recreate"},
              "template":{"metadata":{"labels":{"app":"web"}},"spec":{
               "containers":[
                 {"name":"a","image":"nginx","args":["y"],"env":[{"name":"E2","value":"2"}],"ports":[{"containerPort":80}]}],
               "volumes":[{"name":"v1","hostPath":{"path":"/tmp"}}]}}}}
            """);

        var patch = Smp.CreateTwoWayMergePatch(applied, edited, "io.k8s.api.apps.v1.Deployment");

        var expected = Object("""
            {"metadata":{"labels":{"b":null}},
             "spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":null,"type":"Recreate"},
              "template":{"spec":{
               "$setElementOrder/containers":[{"name":"a"}],
               "$setElementOrder/volumes":[{"name":"v1"}],
               "containers":[
                 {"name":"a","$setElementOrder/env":[{"name":"E2"}],"$setElementOrder/ports":[{"containerPort":80}],
                  "args":["y"],
                  "env":[{"$patch":"delete","name":"E1"}],
                  "ports":[{"$patch":"delete","containerPort":443}]},
                 {"$patch":"delete","name":"b"}],
               "volumes":[{"$retainKeys":["hostPath","name"],"emptyDir":null,"hostPath":{"path":"/tmp"},"name":"v1"}]}}}}
            """);
        Assert.Equal(Canonical(expected), Canonical(patch));
        Assert.Equal(Canonical(edited), Canonical(Smp.Apply(applied, patch, "io.k8s.api.apps.v1.Deployment")));
    }

    // kind, original, modified, expected patch.
    [Theory]
    [InlineData("pod", "{'metadata':{'name':'p'}}", "{'metadata':{'name':'p'}}", "{}")]
    [InlineData("pod", "{'spec':{'containers':[{'name':'a','image':'x'}]}}", "{'spec':{'containers':[{'name':'a','image':'y'}]}}",
        "{'spec':{'$setElementOrder/containers':[{'name':'a'}],'containers':[{'name':'a','image':'y'}]}}")]
    [InlineData("pod", "{'spec':{'containers':[{'name':'a'},{'name':'b'}]}}", "{'spec':{'containers':[{'name':'b'},{'name':'a'}]}}",
        "{'spec':{'$setElementOrder/containers':[{'name':'b'},{'name':'a'}]}}")]
    [InlineData("pod", "{'spec':{'containers':[{'name':'a'}]}}", "{'spec':{'containers':[{'name':'a'},{'name':'b','image':'x'}]}}",
        "{'spec':{'$setElementOrder/containers':[{'name':'a'},{'name':'b'}],'containers':[{'name':'b','image':'x'}]}}")]
    [InlineData("pod", "{'spec':{'containers':[]}}", "{'spec':{'containers':[{'name':'a'}]}}", "{'spec':{'containers':[{'name':'a'}]}}")]
    [InlineData("pod", "{'spec':{'containers':[{'name':'a'}]}}", "{'spec':{'containers':[]}}", "{'spec':{'containers':[{'name':'a','$patch':'delete'}]}}")]
    [InlineData("pod", "{'metadata':{'finalizers':['a','b']}}", "{'metadata':{'finalizers':['c','a']}}",
        "{'metadata':{'finalizers':['c'],'$deleteFromPrimitiveList/finalizers':['b'],'$setElementOrder/finalizers':['c','a']}}")]
    [InlineData("pod", "{'metadata':{'finalizers':['a','b']}}", "{'metadata':{'finalizers':['b','a']}}", "{'metadata':{'$setElementOrder/finalizers':['b','a']}}")]
    [InlineData("pod", "{'spec':{'containers':[{'name':'a','args':['x']}]}}", "{'spec':{'containers':[{'name':'a','args':['x','y']}]}}",
        "{'spec':{'$setElementOrder/containers':[{'name':'a'}],'containers':[{'name':'a','args':['x','y']}]}}")]
    [InlineData("pdb", "{'spec':{'selector':{'matchLabels':{'a':'1'}}}}", "{'spec':{'selector':{'matchLabels':{'a':'1'}}}}",
        "{'spec':{'selector':{'matchLabels':{'a':'1'}}}}")]
    [InlineData("deploy", "{'spec':{'strategy':{'type':'Recreate'}}}", "{'spec':{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}}}}",
        "{'spec':{'strategy':{'$retainKeys':['rollingUpdate','type'],'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}}}}")]
    [InlineData("deploy", "{'spec':{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}}}}", "{'spec':{'strategy':{'type':'RollingUpdate'}}}",
        "{'spec':{'strategy':{'$retainKeys':['type'],'rollingUpdate':null}}}")]
    [InlineData("deploy", "{'spec':{'replicas':1,'foo':{'a':[1]}}}", "{'spec':{'replicas':'1','foo':{'a':[2]}}}", "{'spec':{'replicas':'1','foo':{'a':[2]}}}")]
    public void Creates_two_way_patches(string kind, string original, string modified, string expected)
    {
        var originalNode = Object(original);
        var modifiedNode = Object(modified);
        var schema = StrategicMergePatchTests.SchemaName(kind);

        var patch = Smp.CreateTwoWayMergePatch(originalNode, modifiedNode, schema);

        Assert.Equal(Canonical(Parse(expected)), Canonical(patch));
        Assert.Equal(Canonical(Parse(original)), Canonical(originalNode));
        Assert.Equal(Canonical(Parse(modified)), Canonical(Smp.Apply(originalNode, patch, schema)));
    }
}
