using Korral.Api.Patching;
using Korral.Api.Schema;
using static Korral.Api.Tests.Patching.PatchJson;

namespace Korral.Api.Tests.Patching;

/// <summary>Patches upstream refuses, with its messages and statuses (400 format errors, 422 lists of lists, 500 the rest).</summary>
public class StrategicMergePatchErrorTests
{
    private static readonly StrategicMergePatch Smp = new(GeneratedSchemaCatalog.Instance);

    private const string TwoContainers = "{'spec':{'containers':[{'name':'a','image':'x'},{'name':'b'}]}}";

    // kind, original, patch, status, message.
    [Theory]
    // Merged list elements need their merge key.
    [InlineData("pod", TwoContainers, "{'spec':{'containers':[{'image':'nginx:1.25'}]}}", 500,
        "map: map[image:nginx:1.25] does not contain declared merge key: name")]
    [InlineData("pod", TwoContainers, "{'spec':{'containers':[{'$patch':'delete'}]}}", 500,
        "map: map[$patch:delete] does not contain declared merge key: name")]
    [InlineData("pod", "{'spec':{'volumes':[{'name':'v','emptyDir':{}}]}}", "{'spec':{'volumes':[{'hostPath':{'path':'/var/lib/kubelet/pods'}}]}}", 500,
        "map: map[hostPath:map[path:/var/lib/kubelet/pods]] does not contain declared merge key: name")]
    [InlineData("pod", "{'spec':{'containers':[{'name':'a','ports':[{'containerPort':80}]}]}}", "{'spec':{'containers':[{'name':'a','ports':[{'name':'http','protocol':'TCP'}]}]}}", 500,
        "map: map[name:http protocol:TCP] does not contain declared merge key: containerPort")]
    // An original element without its merge key breaks any merge of that list (the imagePullSecrets: [{}] issue).
    [InlineData("pod", "{'spec':{'imagePullSecrets':[{}]}}", "{'spec':{'imagePullSecrets':[{'name':'x'}]}}", 500,
        "map: map[] does not contain declared merge key: name")]
    // Directive values.
    [InlineData("pod", "{'metadata':{'labels':{'a':'1'}}}", "{'metadata':{'labels':{'$patch':'bogus','b':'2'}}}", 500,
        "unknown patch type: bogus in map: map[$patch:bogus b:2]")]
    [InlineData("pod", "{'metadata':{'labels':{'a':'1'}}}", "{'metadata':{'labels':{'$patch':'merge'}}}", 500,
        "unknown patch type: merge in map: map[$patch:merge]")]
    [InlineData("pod", "{'metadata':{'labels':{'a':'1'}}}", "{'metadata':{'labels':{'$patch':5}}}", 500,
        "unknown patch type: %!s(int64=5) in map: map[$patch:5]")]
    [InlineData("none", "{'a':1}", "{'$patch':null}", 500, "unknown patch type: %!s(<nil>) in map: map[$patch:<nil>]")]
    [InlineData("pod", TwoContainers, "{'spec':{'containers':[{'name':'a','$patch':'merge'}]}}", 500, "merging lists cannot yet be specified in the patch")]
    [InlineData("pod", TwoContainers, "{'spec':{'containers':[{'name':'a','$patch':'upsert','image':'y'}]}}", 500,
        "unknown patch type: upsert in map: map[$patch:upsert image:y name:a]")]
    [InlineData("pod", TwoContainers, "{'spec':{'containers':[{'name':'a','$patch':true}]}}", 500,
        "unknown patch type: %!s(bool=true) in map: map[$patch:true name:a]")]
    // $retainKeys must be a list naming every key the patch sets.
    [InlineData("deploy", "{'spec':{'strategy':{'type':'RollingUpdate'}}}", "{'spec':{'strategy':{'$retainKeys':'type','type':'Recreate'}}}", 400,
        "invalid patch format of retainKeys")]
    [InlineData("deploy", "{'spec':{'strategy':{'type':'RollingUpdate'}}}", "{'spec':{'strategy':{'$retainKeys':['rollingUpdate'],'type':'Recreate'}}}", 400,
        "invalid patch format of retainKeys")]
    [InlineData("deploy", "{'spec':{'strategy':{'type':'RollingUpdate'}}}", "{'spec':{'strategy':{'$retainKeys':null}}}", 400,
        "invalid patch format of retainKeys")]
    // Parallel-list keys must be exactly prefix/field.
    [InlineData("pod", "{'metadata':{'finalizers':['a']}}", "{'metadata':{'$deleteFromPrimitiveListfinalizers':['a']}}", 400,
        "invalid patch format of primitive list")]
    [InlineData("pod", "{'metadata':{'finalizers':['a']}}", "{'metadata':{'$setElementOrderX/finalizers':['a']}}", 400,
        "invalid patch format of setElementOrder list")]
    // $setElementOrder must be a list, over a list, in the patch list's order.
    [InlineData("pod", TwoContainers, "{'spec':{'$setElementOrder/containers':'a'}}", 500, "expected a []interface {}, but received a string")]
    [InlineData("pod", TwoContainers, "{'spec':{'$setElementOrder/containers':{'name':'a'}}}", 500,
        "expected a []interface {}, but received a map[string]interface {}")]
    [InlineData("pod", "{'metadata':{'labels':{'a':'1'}}}", "{'metadata':{'$setElementOrder/labels':['a']}}", 500,
        "expected a []interface {}, but received a map[string]interface {}")]
    [InlineData("pod", "{'metadata':{'finalizers':null}}", "{'metadata':{'$setElementOrder/finalizers':['a']}}", 500,
        "expected a []interface {}, but received a %!s(<nil>)")]
    [InlineData("pod", TwoContainers, "{'spec':{'$setElementOrder/containers':[{'name':'a'}],'containers':[{'name':'b','image':'x'}]}}", 500,
        "The order in patch list:\n[map[image:x name:b]]\n doesn't match $setElementOrder list:\n[map[name:a]]\n")]
    [InlineData("pod", TwoContainers, "{'spec':{'$setElementOrder/containers':[{'name':'a'},{'name':'b'}],'containers':[{'name':'b'},{'name':'a'}]}}", 500,
        "The order in patch list:\n[map[name:b] map[name:a]]\n doesn't match $setElementOrder list:\n[map[name:a] map[name:b]]\n")]
    [InlineData("pod", TwoContainers, "{'spec':{'$setElementOrder/containers':['a'],'containers':[{'name':'a'}]}}", 500,
        "expected a map[string]interface {}, but received a string")]
    [InlineData("pod", TwoContainers, "{'spec':{'$setElementOrder/containers':[{'image':'x'}],'containers':[{'name':'a'}]}}", 500,
        "map: map[image:x] does not contain declared merge key: name")]
    [InlineData("pod", "{'metadata':{'finalizers':[]}}", "{'metadata':{'$setElementOrder/finalizers':['a']}}", 500, "no elements in any of the given slices")]
    [InlineData("pod", TwoContainers, "{'spec':{'$setElementOrder/containers':['x',{'name':'a'}]}}", 500, "value for key 0 is not a map.")]
    // Element types.
    [InlineData("pod", "{'metadata':{'finalizers':['a']}}", "{'metadata':{'finalizers':[1]}}", 500, "list element types are not identical: [[a] [1]]")]
    [InlineData("pod", "{'metadata':{'finalizers':['a']}}", "{'metadata':{'finalizers':[{'x':1}]}}", 500, "list element types are not identical: [[a] [map[x:1]]]")]
    [InlineData("pod", TwoContainers, "{'spec':{'containers':['a']}}", 500,
        "list element types are not identical: [[map[image:x name:a] map[name:b]] [a]]")]
    [InlineData("pod", "{'metadata':{'finalizers':[]}}", "{'metadata':{'finalizers':[['a']]}}", 422, "lists of lists are not supported")]
    [InlineData("pod", "{'metadata':{'finalizers':[]}}", "{'metadata':{'finalizers':[{'x':1}]}}", 500, "cannot merge lists without merge key for string")]
    public void Fails_like_upstream(string kind, string original, string patch, int status, string message)
    {
        var error = Assert.Throws<PatchException>(() => Smp.Apply(Object(original), Object(patch), StrategicMergePatchTests.SchemaName(kind)));

        Assert.Equal(message, error.Message);
        Assert.Equal(status, error.StatusCode);
        Assert.Equal(status == 400, error.Malformed);
        Assert.Equal(status == 422 ? PatchException.UnprocessableMessage : message, error.StatusMessage);
    }

    [Fact]
    public void Error_kinds_map_to_statuses()
    {
        Assert.Equal(400, new PatchException("x", malformed: true).StatusCode);
        Assert.Equal(422, new PatchException("x").StatusCode);
        Assert.Equal(PatchErrorKind.Unprocessable, new PatchException("x", malformed: false).Kind);
        Assert.Equal(500, new PatchException("x", PatchErrorKind.ServerError).StatusCode);
    }
}
