using Korral.Api.Patching;
using Korral.Api.Schema;
using static Korral.Api.Tests.Patching.PatchJson;

namespace Korral.Api.Tests.Patching;

public class StrategicMergePatchTests
{
    private static readonly StrategicMergePatch Smp = new(GeneratedSchemaCatalog.Instance);

    internal static string? SchemaName(string kind) => kind switch
    {
        "pod" => "io.k8s.api.core.v1.Pod",
        "deploy" => "io.k8s.api.apps.v1.Deployment",
        "svc" => "io.k8s.api.core.v1.Service",
        "node" => "io.k8s.api.core.v1.Node",
        "pdb" => "io.k8s.api.policy.v1.PodDisruptionBudget",
        "rev" => "io.k8s.api.apps.v1.ControllerRevision",
        "none" => null,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    // kind, original, patch, expected (compared with object keys sorted, list order significant).
    [Theory]
    // Maps merge; null deletes; a null for a missing key does nothing.
    [InlineData("pod", "{'metadata':{'labels':{'a':'1','b':'2'}}}", "{'metadata':{'labels':{'b':null,'c':'3'}}}", "{'metadata':{'labels':{'a':'1','c':'3'}}}")]
    [InlineData("pod", "{'metadata':{'name':'p'}}", "{'metadata':{'annotations':null}}", "{'metadata':{'name':'p'}}")]
    [InlineData("pod", "{'metadata':{'name':'p'},'spec':{'nodeName':'n1'}}", "{'spec':null}", "{'metadata':{'name':'p'}}")]
    [InlineData("pod", "{'spec':{'restartPolicy':'Always'}}", "{'spec':{'securityContext':{'runAsUser':1000,'fsGroup':null}}}",
        "{'spec':{'restartPolicy':'Always','securityContext':{'runAsUser':1000}}}")]
    [InlineData("deploy", "{'spec':{'selector':{'matchLabels':{'app':'web'}}}}", "{'spec':{'selector':{'matchLabels':{'tier':'fe'}}}}",
        "{'spec':{'selector':{'matchLabels':{'app':'web','tier':'fe'}}}}")]
    // kubectl rollout restart
    [InlineData("deploy", "{'spec':{'replicas':1,'template':{'metadata':{'labels':{'app':'web'}}}}}",
        "{'spec':{'template':{'metadata':{'annotations':{'kubectl.kubernetes.io/restartedAt':'2026-11-21T10:00:00Z'}}}}}",
        "{'spec':{'replicas':1,'template':{'metadata':{'labels':{'app':'web'},'annotations':{'kubectl.kubernetes.io/restartedAt':'2026-11-21T10:00:00Z'}}}}}")]
    // $patch on maps: replace takes the patch's map; delete leaves an empty map.
    [InlineData("pod", "{'metadata':{'labels':{'a':'1'}}}", "{'metadata':{'labels':{'$patch':'replace','b':'2'}}}", "{'metadata':{'labels':{'b':'2'}}}")]
    [InlineData("pod", "{'metadata':{'labels':{'a':'1'},'name':'p'}}", "{'metadata':{'labels':{'$patch':'delete'}}}", "{'metadata':{'labels':{},'name':'p'}}")]
    [InlineData("deploy", "{'spec':{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}}}}", "{'spec':{'strategy':{'$patch':'replace','type':'Recreate'}}}",
        "{'spec':{'strategy':{'type':'Recreate'}}}")]
    [InlineData("none", "{'a':1,'b':{'c':2}}", "{'$patch':'replace','b':{'d':3}}", "{'b':{'d':3}}")]
    [InlineData("none", "{'a':1}", "{'$patch':'delete'}", "{}")]
    // patchStrategy replace on a map (PodDisruptionBudget.spec.selector).
    [InlineData("pdb", "{'spec':{'selector':{'matchLabels':{'a':'1'}},'minAvailable':1}}", "{'spec':{'selector':{'matchLabels':{'b':'2'}}}}",
        "{'spec':{'selector':{'matchLabels':{'b':'2'}},'minAvailable':1}}")]
    // Lists with a merge key merge element by element.
    [InlineData("pod", "{'spec':{'containers':[{'name':'a','image':'x'},{'name':'b','image':'y'}]}}", "{'spec':{'containers':[{'name':'b','image':'z'}]}}",
        "{'spec':{'containers':[{'name':'a','image':'x'},{'name':'b','image':'z'}]}}")]
    // kubectl set image
    [InlineData("deploy", "{'spec':{'template':{'spec':{'containers':[{'name':'web','image':'nginx:1.25','ports':[{'containerPort':80}]}]}}}}",
        "{'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'web'}],'containers':[{'image':'nginx:1.27','name':'web'}]}}}}",
        "{'spec':{'template':{'spec':{'containers':[{'name':'web','image':'nginx:1.27','ports':[{'containerPort':80}]}]}}}}")]
    // Nested lists inside merged elements: env by name, ports by containerPort, volumeMounts by mountPath.
    [InlineData("pod",
        "{'spec':{'containers':[{'name':'a','env':[{'name':'E1','value':'1'},{'name':'E2','value':'2'}],'ports':[{'containerPort':80,'protocol':'TCP'},{'containerPort':443,'protocol':'TCP'}],'volumeMounts':[{'name':'v','mountPath':'/a'},{'name':'v','mountPath':'/b'}]}]}}",
        "{'spec':{'containers':[{'name':'a','env':[{'name':'E2','value':'two'}],'ports':[{'containerPort':443,'name':'https'}],'volumeMounts':[{'mountPath':'/b','readOnly':true}]}]}}",
        "{'spec':{'containers':[{'name':'a','env':[{'name':'E1','value':'1'},{'name':'E2','value':'two'}],'ports':[{'containerPort':80,'protocol':'TCP'},{'containerPort':443,'protocol':'TCP','name':'https'}],'volumeMounts':[{'name':'v','mountPath':'/a'},{'name':'v','mountPath':'/b','readOnly':true}]}]}}")]
    [InlineData("pod", "{'spec':{'containers':[{'name':'a','env':[{'name':'E1','valueFrom':{'fieldRef':{'fieldPath':'metadata.name'}}}]}]}}",
        "{'spec':{'containers':[{'name':'a','env':[{'name':'E1','value':'x','valueFrom':null}]}]}}",
        "{'spec':{'containers':[{'name':'a','env':[{'name':'E1','value':'x'}]}]}}")]
    // Other merge keys: Service ports by port, conditions and addresses by type, ownerReferences by uid, imagePullSecrets by name.
    [InlineData("svc", "{'spec':{'ports':[{'port':80,'targetPort':8080},{'port':443,'targetPort':8443}]}}", "{'spec':{'ports':[{'port':80,'targetPort':9090}]}}",
        "{'spec':{'ports':[{'port':80,'targetPort':9090},{'port':443,'targetPort':8443}]}}")]
    [InlineData("node", "{'status':{'conditions':[{'type':'Ready','status':'False'},{'type':'DiskPressure','status':'False'}],'addresses':[{'type':'InternalIP','address':'10.0.0.1'}]}}",
        "{'status':{'conditions':[{'type':'Ready','status':'True','reason':'KubeletReady'}],'addresses':[{'type':'Hostname','address':'n1'}]}}",
        "{'status':{'conditions':[{'type':'Ready','status':'True','reason':'KubeletReady'},{'type':'DiskPressure','status':'False'}],'addresses':[{'type':'Hostname','address':'n1'},{'type':'InternalIP','address':'10.0.0.1'}]}}")]
    [InlineData("pod", "{'metadata':{'ownerReferences':[{'uid':'u1','kind':'ReplicaSet','name':'rs1'}]}}", "{'metadata':{'ownerReferences':[{'uid':'u1','controller':true}]}}",
        "{'metadata':{'ownerReferences':[{'uid':'u1','kind':'ReplicaSet','name':'rs1','controller':true}]}}")]
    [InlineData("pod", "{'spec':{'imagePullSecrets':[{'name':'a'}]}}", "{'spec':{'imagePullSecrets':[{'name':'b'}]}}", "{'spec':{'imagePullSecrets':[{'name':'b'},{'name':'a'}]}}")]
    // Order without $setElementOrder: patch elements in patch order, the others in original order, interleaved by
    // original position; a new element goes before the original elements that follow it.
    [InlineData("pod", "{'spec':{'containers':[{'name':'a'},{'name':'b'}]}}", "{'spec':{'containers':[{'name':'c'}]}}",
        "{'spec':{'containers':[{'name':'c'},{'name':'a'},{'name':'b'}]}}")]
    [InlineData("pod", "{'spec':{'containers':[{'name':'a'},{'name':'b'},{'name':'c'}]}}", "{'spec':{'containers':[{'name':'c','image':'x'},{'name':'d'}]}}",
        "{'spec':{'containers':[{'name':'a'},{'name':'b'},{'name':'c','image':'x'},{'name':'d'}]}}")]
    [InlineData("pod", "{'spec':{'containers':[{'name':'a'},{'name':'b'},{'name':'c'}]}}", "{'spec':{'containers':[{'name':'c','image':'x'},{'name':'a','image':'y'}]}}",
        "{'spec':{'containers':[{'name':'b'},{'name':'c','image':'x'},{'name':'a','image':'y'}]}}")]
    [InlineData("pod", "{'spec':{'containers':[{'name':'a'},{'name':'b'},{'name':'c'}]}}", "{'spec':{'containers':[{'name':'b','image':'x'},{'name':'z'}]}}",
        "{'spec':{'containers':[{'name':'a'},{'name':'b','image':'x'},{'name':'z'},{'name':'c'}]}}")]
    // $patch: delete in a merged list removes every element with that key; unknown keys are ignored.
    [InlineData("pod", "{'spec':{'containers':[{'name':'a'},{'name':'b'}]}}", "{'spec':{'containers':[{'$patch':'delete','name':'a'},{'$patch':'delete','name':'zz'}]}}",
        "{'spec':{'containers':[{'name':'b'}]}}")]
    [InlineData("pod", "{'spec':{'containers':[{'name':'a','env':[{'name':'E1','value':'1'},{'name':'E1','value':'2'},{'name':'E2'}]}]}}",
        "{'spec':{'containers':[{'name':'a','env':[{'name':'E1','$patch':'delete'}]}]}}",
        "{'spec':{'containers':[{'name':'a','env':[{'name':'E2'}]}]}}")]
    [InlineData("pod", "{'spec':{'containers':[{'name':'a'},{'name':'b'}]}}", "{'spec':{'containers':[{'$patch':'delete','name':'a'},{'name':'c'}]}}",
        "{'spec':{'containers':[{'name':'c'},{'name':'b'}]}}")]
    // {"$patch":"replace"} in a list: the list becomes the other elements (any element carrying it counts, and is dropped).
    [InlineData("pod", "{'spec':{'containers':[{'name':'a','image':'x'},{'name':'b'}]}}", "{'spec':{'containers':[{'name':'c'},{'$patch':'replace'},{'name':'a'}]}}",
        "{'spec':{'containers':[{'name':'c'},{'name':'a'}]}}")]
    [InlineData("pod", "{'spec':{'containers':[{'name':'a'},{'name':'b'}]}}", "{'spec':{'containers':[{'name':'a','image':'z','$patch':'replace'}]}}",
        "{'spec':{'containers':[]}}")]
    // Lists without the merge strategy are replaced whole.
    [InlineData("pod", "{'spec':{'containers':[{'name':'a','args':['x','y'],'command':['sh']}]}}", "{'spec':{'containers':[{'name':'a','args':['z']}]}}",
        "{'spec':{'containers':[{'name':'a','args':['z'],'command':['sh']}]}}")]
    [InlineData("pod", "{'spec':{'tolerations':[{'key':'a','operator':'Exists'}]}}", "{'spec':{'tolerations':[{'key':'b','operator':'Exists'}]}}",
        "{'spec':{'tolerations':[{'key':'b','operator':'Exists'}]}}")]
    [InlineData("pod", "{'spec':{'tolerations':[{'key':'a'}]}}", "{'spec':{'tolerations':[]}}", "{'spec':{'tolerations':[]}}")]
    // Primitive merge lists (finalizers) are set unions; new values go before the original values that follow them.
    [InlineData("pod", "{'metadata':{'finalizers':['a','b']}}", "{'metadata':{'finalizers':['b','c']}}", "{'metadata':{'finalizers':['a','b','c']}}")]
    [InlineData("pod", "{'metadata':{'finalizers':['a','b']}}", "{'metadata':{'finalizers':['c']}}", "{'metadata':{'finalizers':['c','a','b']}}")]
    [InlineData("pod", "{'metadata':{'finalizers':['a','a','b']}}", "{'metadata':{'finalizers':['b','b']}}", "{'metadata':{'finalizers':['a','b']}}")]
    [InlineData("pod", "{'metadata':{}}", "{'metadata':{'finalizers':['x','y']}}", "{'metadata':{'finalizers':['x','y']}}")]
    // $deleteFromPrimitiveList, for merge lists and (upstream since 1.25) any scalar list; nothing when the list is missing.
    [InlineData("pod", "{'metadata':{'finalizers':['a','b','c']}}", "{'metadata':{'$deleteFromPrimitiveList/finalizers':['b','x']}}", "{'metadata':{'finalizers':['a','c']}}")]
    [InlineData("pod", "{'metadata':{'finalizers':['a','b']}}", "{'metadata':{'finalizers':['c'],'$deleteFromPrimitiveList/finalizers':['a']}}",
        "{'metadata':{'finalizers':['c','b']}}")]
    [InlineData("pod", "{'spec':{'containers':[{'name':'a','args':['x','y','x']}]}}", "{'spec':{'containers':[{'name':'a','$deleteFromPrimitiveList/args':['x']}]}}",
        "{'spec':{'containers':[{'name':'a','args':['y']}]}}")]
    [InlineData("pod", "{'metadata':{'name':'p'}}", "{'metadata':{'$deleteFromPrimitiveList/finalizers':['a']}}", "{'metadata':{'name':'p'}}")]
    // $setElementOrder: the final order of the elements it names, for maps and scalars alike.
    [InlineData("pod", "{'spec':{'containers':[{'name':'a'},{'name':'b'},{'name':'c'}]}}", "{'spec':{'$setElementOrder/containers':[{'name':'c'},{'name':'a'},{'name':'b'}]}}",
        "{'spec':{'containers':[{'name':'c'},{'name':'a'},{'name':'b'}]}}")]
    [InlineData("pod", "{'spec':{'containers':[{'name':'a'},{'name':'b'}]}}",
        "{'spec':{'$setElementOrder/containers':[{'name':'b'},{'name':'new'},{'name':'a'}],'containers':[{'name':'new','image':'x'}]}}",
        "{'spec':{'containers':[{'name':'b'},{'name':'new','image':'x'},{'name':'a'}]}}")]
    [InlineData("pod", "{'metadata':{'finalizers':['a','b','c']}}", "{'metadata':{'$setElementOrder/finalizers':['c','a','b']}}", "{'metadata':{'finalizers':['c','a','b']}}")]
    [InlineData("pod", "{'metadata':{'finalizers':['a','b']}}", "{'metadata':{'$setElementOrder/finalizers':['b','x','a'],'finalizers':['x']}}",
        "{'metadata':{'finalizers':['b','x','a']}}")]
    [InlineData("pod", "{'metadata':{'finalizers':['a','b','c']}}",
        "{'metadata':{'$setElementOrder/finalizers':['c','a'],'$deleteFromPrimitiveList/finalizers':['b']}}", "{'metadata':{'finalizers':['c','a']}}")]
    [InlineData("pod", "{'metadata':{'finalizers':['a']}}", "{'metadata':{'$setElementOrder/finalizers':['z','a']}}", "{'metadata':{'finalizers':['a']}}")]
    [InlineData("pod", "{'metadata':{}}", "{'metadata':{'$setElementOrder/finalizers':['z']}}", "{'metadata':{}}")]
    [InlineData("pod", "{'spec':{}}", "{'spec':{'$setElementOrder/containers':[{'name':'b'},{'name':'a'}],'containers':[{'name':'b','env':[{'name':'X','$patch':'delete'}]},{'name':'a'}]}}",
        "{'spec':{'containers':[{'name':'b','env':[]},{'name':'a'}]}}")]
    // Elements the directive does not name (added by someone else) keep their place relative to the named ones.
    [InlineData("pod", "{'spec':{'containers':[{'name':'a'},{'name':'sidecar'},{'name':'b'}]}}", "{'spec':{'$setElementOrder/containers':[{'name':'b'},{'name':'a'}]}}",
        "{'spec':{'containers':[{'name':'sidecar'},{'name':'b'},{'name':'a'}]}}")]
    // ...and when the same patch deletes one element and adds another, the new one takes the freed place relative to
    // them (upstream reuses the deleted slots of the original list), so the sidecar stays before it.
    [InlineData("pod", "{'spec':{'containers':[{'name':'a'},{'name':'sidecar'},{'name':'b'}]}}",
        "{'spec':{'$setElementOrder/containers':[{'name':'a'},{'name':'c'}],'containers':[{'name':'c','image':'x'},{'$patch':'delete','name':'b'}]}}",
        "{'spec':{'containers':[{'name':'a'},{'name':'sidecar'},{'name':'c','image':'x'}]}}")]
    [InlineData("pod", "{'spec':{'containers':[{'name':'a'},{'name':'sidecar'}]}}",
        "{'spec':{'$setElementOrder/containers':[{'name':'a'},{'name':'c'}],'containers':[{'name':'c','image':'x'}]}}",
        "{'spec':{'containers':[{'name':'a'},{'name':'c','image':'x'},{'name':'sidecar'}]}}")]
    // $retainKeys: drops the keys it does not list, then merges (Deployment.spec.strategy, volumes[]).
    [InlineData("deploy", "{'spec':{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}}}}", "{'spec':{'strategy':{'$retainKeys':['type']}}}",
        "{'spec':{'strategy':{'type':'RollingUpdate'}}}")]
    [InlineData("deploy", "{'spec':{'strategy':{'type':'Recreate'}}}",
        "{'spec':{'strategy':{'$retainKeys':['rollingUpdate','type'],'type':'RollingUpdate','rollingUpdate':{'maxSurge':'25%'}}}}",
        "{'spec':{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':'25%'}}}}")]
    [InlineData("pod", "{'spec':{'volumes':[{'name':'v','configMap':{'name':'c'}},{'name':'w','emptyDir':{}}]}}",
        "{'spec':{'volumes':[{'$retainKeys':['name','secret'],'name':'v','secret':{'secretName':'s'}}]}}",
        "{'spec':{'volumes':[{'name':'v','secret':{'secretName':'s'}},{'name':'w','emptyDir':{}}]}}")]
    [InlineData("none", "{'a':1,'b':2,'c':3}", "{'$retainKeys':['a','b','d'],'b':null,'d':4}", "{'a':1,'d':4}")]
    // int-or-string and quantity fields are values: replaced, whatever their type.
    [InlineData("deploy", "{'spec':{'strategy':{'rollingUpdate':{'maxSurge':1,'maxUnavailable':'25%'}}}}", "{'spec':{'strategy':{'rollingUpdate':{'maxSurge':'50%','maxUnavailable':0}}}}",
        "{'spec':{'strategy':{'rollingUpdate':{'maxSurge':'50%','maxUnavailable':0}}}}")]
    [InlineData("pod", "{'spec':{'containers':[{'name':'a','resources':{'limits':{'cpu':'500m','memory':'1Gi'},'requests':{'cpu':0.1}}}]}}",
        "{'spec':{'containers':[{'name':'a','resources':{'limits':{'cpu':2},'requests':{'cpu':'100m'}}}]}}",
        "{'spec':{'containers':[{'name':'a','resources':{'limits':{'cpu':2,'memory':'1Gi'},'requests':{'cpu':'100m'}}}]}}")]
    [InlineData("pod", "{'spec':{'containers':[{'name':'a','readinessProbe':{'httpGet':{'port':8080,'path':'/'}}}]}}",
        "{'spec':{'containers':[{'name':'a','readinessProbe':{'httpGet':{'port':'http'}}}]}}",
        "{'spec':{'containers':[{'name':'a','readinessProbe':{'httpGet':{'port':'http','path':'/'}}}]}}")]
    // A value of another type replaces; a new map loses its nulls and $patch maps (nested lists too).
    [InlineData("deploy", "{'spec':{'replicas':3}}", "{'spec':{'replicas':'3'}}", "{'spec':{'replicas':'3'}}")]
    [InlineData("none", "{'x':1}", "{'x':{'a':null,'b':{'$patch':'delete'},'c':[{'$patch':'delete'},{'d':1,'e':null}],'f':{'g':null}}}",
        "{'x':{'c':[{'d':1}],'f':{}}}")]
    [InlineData("none", "{'x':{'a':1}}", "{'x':{'$patch':'replace'}}", "{'x':{}}")]
    [InlineData("none", "{'x':1}", "{'x':{'$patch':'replace','a':1}}", "{}")]
    // A new element in a merged list is taken as the patch has it (upstream leaves directives and nulls in it for the decoder).
    [InlineData("pod", "{'spec':{'containers':[{'name':'a'}]}}", "{'spec':{'containers':[{'name':'b','image':null,'env':[{'name':'E','$patch':'delete'}]}]}}",
        "{'spec':{'containers':[{'name':'b','image':null,'env':[{'name':'E','$patch':'delete'}]},{'name':'a'}]}}")]
    // Fields the schema does not know merge as maps; their lists are replaced.
    [InlineData("deploy", "{'spec':{'foo':{'a':1,'l':[1,2]}}}", "{'spec':{'foo':{'b':2,'l':[3]}}}", "{'spec':{'foo':{'a':1,'b':2,'l':[3]}}}")]
    [InlineData("rev", "{'data':{'spec':{'template':{'a':1}}},'revision':1}", "{'data':{'spec':{'template':{'b':2}}},'revision':2}",
        "{'data':{'spec':{'template':{'a':1,'b':2}}},'revision':2}")]
    // No schema: a JSON merge patch that still honours the directives.
    [InlineData("none", "{'spec':{'containers':[{'name':'a','image':'x'}]}}", "{'spec':{'containers':[{'name':'b'}]}}", "{'spec':{'containers':[{'name':'b'}]}}")]
    [InlineData("none", "{'metadata':{'labels':{'a':'1'},'finalizers':['x']}}", "{'metadata':{'labels':{'$patch':'replace','b':'2'},'finalizers':['y']}}",
        "{'metadata':{'labels':{'b':'2'},'finalizers':['y']}}")]
    public void Applies(string kind, string original, string patch, string expected)
    {
        var patchNode = Object(patch);
        var before = patchNode.ToJsonString();

        var result = Smp.Apply(Object(original), patchNode, SchemaName(kind));

        Assert.Equal(Canonical(Parse(expected)), Canonical(result));
        Assert.Equal(before, patchNode.ToJsonString());
    }

    [Fact]
    public void Merges_in_place_and_keeps_key_order()
    {
        var original = Object("{'metadata':{'name':'p','labels':{'a':'1'}},'spec':{'nodeName':'n','restartPolicy':'Always'}}");

        var result = Smp.Apply(original, Object("{'spec':{'nodeName':'m'},'metadata':{'labels':{'b':'2'}}}"), SchemaName("pod"));

        Assert.Same(original, result);
        Assert.Equal("{'metadata':{'name':'p','labels':{'a':'1','b':'2'}},'spec':{'nodeName':'m','restartPolicy':'Always'}}", Quoted(result));
    }

    [Fact]
    public void Values_taken_from_the_patch_are_copies()
    {
        var patch = Object("{'spec':{'containers':[{'name':'b','env':[{'name':'E','value':'1'}]}],'tolerations':[{'key':'k'}]}}");

        var result = Smp.Apply(Object("{'spec':{'containers':[{'name':'a'}]}}"), patch, SchemaName("pod"));
        result["spec"]!["containers"]![0]!["env"]![0]!["value"] = "2";
        result["spec"]!["tolerations"]![0]!["key"] = "changed";

        Assert.Equal("{'spec':{'containers':[{'name':'b','env':[{'name':'E','value':'1'}]}],'tolerations':[{'key':'k'}]}}", Quoted(patch));
    }

    [Fact]
    public void Kubernetes_docs_patch_adds_the_new_container_first()
    {
        // "Update API Objects in Place Using kubectl patch": patching a second container into the Deployment lists it first.
        var deployment = Object("{'spec':{'template':{'spec':{'containers':[{'name':'patch-demo-ctr','image':'nginx'}],'tolerations':[{'effect':'NoSchedule','key':'dedicated','value':'test-team'}]}}}}");

        var result = Smp.Apply(deployment, Object("{'spec':{'template':{'spec':{'containers':[{'name':'patch-demo-ctr-2','image':'redis'}]}}}}"), SchemaName("deploy"));

        Assert.Equal(
            Canonical(Parse("[{'name':'patch-demo-ctr-2','image':'redis'},{'name':'patch-demo-ctr','image':'nginx'}]")),
            Canonical(result["spec"]!["template"]!["spec"]!["containers"]));
    }
}
