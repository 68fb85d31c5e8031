using Korral.Api.Patching;
using static Korral.Api.Tests.Patching.PatchJson;

namespace Korral.Api.Tests.Patching;

public class JsonPatchTests
{
    // document, patch, expected result.
    [Theory]
    // add
    [InlineData("{'foo':'bar'}", "[{'op':'add','path':'/baz','value':'qux'}]", "{'foo':'bar','baz':'qux'}")]
    [InlineData("{'foo':['bar','baz']}", "[{'op':'add','path':'/foo/1','value':'qux'}]", "{'foo':['bar','qux','baz']}")]
    [InlineData("{'foo':['bar']}", "[{'op':'add','path':'/foo/0','value':'x'}]", "{'foo':['x','bar']}")]
    [InlineData("{'foo':['bar']}", "[{'op':'add','path':'/foo/1','value':'x'}]", "{'foo':['bar','x']}")]
    [InlineData("{'foo':['bar']}", "[{'op':'add','path':'/foo/-','value':['abc','def']}]", "{'foo':['bar',['abc','def']]}")]
    [InlineData("{'foo':'bar'}", "[{'op':'add','path':'/child','value':{'grandchild':{}}}]", "{'foo':'bar','child':{'grandchild':{}}}")]
    [InlineData("{'foo':'bar'}", "[{'op':'add','path':'/foo','value':{'x':1}}]", "{'foo':{'x':1}}")]
    [InlineData("{'foo':'bar'}", "[{'op':'add','path':'/baz','value':null}]", "{'foo':'bar','baz':null}")]
    [InlineData("{'foo':'bar'}", "[{'op':'add','path':'/baz'}]", "{'foo':'bar','baz':null}")]
    [InlineData("{'foo':['a','b']}", "[{'op':'add','path':'/foo/-1','value':'x'}]", "{'foo':['a','b','x']}")]
    [InlineData("{'foo':['a','b']}", "[{'op':'add','path':'/foo/-3','value':'x'}]", "{'foo':['x','a','b']}")]
    [InlineData("{'foo':['a','b']}", "[{'op':'add','path':'/foo/01','value':'x'}]", "{'foo':['a','x','b']}")]
    [InlineData("{'foo':['a','b']}", "[{'op':'add','path':'/foo/+1','value':'x'}]", "{'foo':['a','x','b']}")]
    [InlineData("{}", "[{'op':'add','path':'/','value':1}]", "{'':1}")]
    // upstream ignores the first segment of a path without a leading slash
    [InlineData("{}", "[{'op':'add','path':'a/b','value':1}]", "{'b':1}")]
    [InlineData("{'a':{'b':{}}}", "[{'op':'add','path':'/a/b/c','value':[1]}]", "{'a':{'b':{'c':[1]}}}")]
    [InlineData("{'a':[{'b':1}]}", "[{'op':'add','path':'/a/0/c','value':2}]", "{'a':[{'b':1,'c':2}]}")]
    [InlineData("{'a':[{'b':1}]}", "[{'op':'add','path':'/a/-1/c','value':2}]", "{'a':[{'b':1,'c':2}]}")]
    // JSON Pointer escapes: ~1 is /, ~0 is ~, decoded left to right.
    [InlineData("{'metadata':{'labels':{}}}", "[{'op':'add','path':'/metadata/labels/app.kubernetes.io~1name','value':'web'}]",
        "{'metadata':{'labels':{'app.kubernetes.io/name':'web'}}}")]
    [InlineData("{'a~b':1}", "[{'op':'replace','path':'/a~0b','value':2}]", "{'a~b':2}")]
    [InlineData("{}", "[{'op':'add','path':'/~01','value':1}]", "{'~1':1}")]
    [InlineData("{}", "[{'op':'add','path':'/~10','value':1}]", "{'/0':1}")]
    [InlineData("{}", "[{'op':'add','path':'/~2','value':1}]", "{'~2':1}")]
    // remove
    [InlineData("{'baz':'qux','foo':'bar'}", "[{'op':'remove','path':'/baz'}]", "{'foo':'bar'}")]
    [InlineData("{'foo':['bar','qux','baz']}", "[{'op':'remove','path':'/foo/1'}]", "{'foo':['bar','baz']}")]
    [InlineData("{'foo':['bar','qux','baz']}", "[{'op':'remove','path':'/foo/-1'}]", "{'foo':['bar','qux']}")]
    [InlineData("{'foo':null}", "[{'op':'remove','path':'/foo'}]", "{}")]
    // replace
    [InlineData("{'baz':'qux','foo':'bar'}", "[{'op':'replace','path':'/baz','value':'boo'}]", "{'baz':'boo','foo':'bar'}")]
    [InlineData("{'foo':['a','b']}", "[{'op':'replace','path':'/foo/0','value':'x'}]", "{'foo':['x','b']}")]
    [InlineData("{'foo':['a','b']}", "[{'op':'replace','path':'/foo/-1','value':'x'}]", "{'foo':['a','x']}")]
    [InlineData("{'foo':'bar'}", "[{'op':'replace','path':'/foo'}]", "{'foo':null}")]
    // upstream (json-patch v4): replace of a missing member adds it.
    [InlineData("{'metadata':{}}", "[{'op':'replace','path':'/metadata/labels','value':{'a':'b'}}]", "{'metadata':{'labels':{'a':'b'}}}")]
    [InlineData("{'a':1}", "[{'op':'replace','path':'','value':{'b':2}}]", "{'b':2}")]
    // move
    [InlineData("{'foo':{'bar':'baz','waldo':'fred'},'qux':{'corge':'grault'}}", "[{'op':'move','from':'/foo/waldo','path':'/qux/thud'}]",
        "{'foo':{'bar':'baz'},'qux':{'corge':'grault','thud':'fred'}}")]
    [InlineData("{'foo':['all','grass','cows','eat']}", "[{'op':'move','from':'/foo/1','path':'/foo/3'}]", "{'foo':['all','cows','eat','grass']}")]
    [InlineData("{'a':{'b':1}}", "[{'op':'move','from':'/a','path':'/c'}]", "{'c':{'b':1}}")]
    [InlineData("{'a':[1,2],'b':[]}", "[{'op':'move','from':'/a/0','path':'/b/-'}]", "{'a':[2],'b':[1]}")]
    [InlineData("{'a':1}", "[{'op':'move','from':'/a','path':'/a'}]", "{'a':1}")]
    // copy
    [InlineData("{'a':{'b':[1]}}", "[{'op':'copy','from':'/a','path':'/c'}]", "{'a':{'b':[1]},'c':{'b':[1]}}")]
    [InlineData("{'a':[1,2]}", "[{'op':'copy','from':'/a/1','path':'/a/0'}]", "{'a':[2,1,2]}")]
    [InlineData("{'a':1}", "[{'op':'copy','from':'/missing','path':'/b'}]", "{'a':1,'b':null}")]
    // test, then act
    [InlineData("{'baz':'qux','foo':['a',2,'c']}", "[{'op':'test','path':'/baz','value':'qux'},{'op':'test','path':'/foo/1','value':2}]",
        "{'baz':'qux','foo':['a',2,'c']}")]
    [InlineData("{'a':{'x':[1,{'y':true}],'z':null}}", "[{'op':'test','path':'/a','value':{'z':null,'x':[1,{'y':true}]}}]",
        "{'a':{'x':[1,{'y':true}],'z':null}}")]
    [InlineData("{'a':1}", "[{'op':'test','path':'/a','value':1.0}]", "{'a':1}")]
    [InlineData("{'a':1}", "[{'op':'test','path':'/missing','value':null}]", "{'a':1}")]
    [InlineData("{'a':null}", "[{'op':'test','path':'/a'}]", "{'a':null}")]
    [InlineData("{'a':1}", "[{'op':'test','path':'','value':{'a':1}}]", "{'a':1}")]
    [InlineData("{'spec':{'replicas':1}}", "[{'op':'test','path':'/spec/replicas','value':1},{'op':'replace','path':'/spec/replicas','value':3}]",
        "{'spec':{'replicas':3}}")]
    // several operations see each other's results
    [InlineData("{}", "[{'op':'add','path':'/a','value':{}},{'op':'add','path':'/a/b','value':[]},{'op':'add','path':'/a/b/-','value':1},{'op':'copy','from':'/a/b','path':'/c'}]",
        "{'a':{'b':[1]},'c':[1]}")]
    [InlineData("{'a':1}", "[]", "{'a':1}")]
    public void Applies(string document, string patch, string expected)
    {
        var patchNode = Array(patch);
        var before = patchNode.ToJsonString();

        var result = JsonPatch.Apply(Parse(document), patchNode);

        Assert.Equal(Canonical(Parse(expected)), Canonical(result));
        Assert.Equal(before, patchNode.ToJsonString());
    }

    [Fact]
    public void Keeps_key_order_and_list_positions()
    {
        var result = JsonPatch.Apply(Parse("{'a':1,'b':2,'c':3}"), Array("[{'op':'replace','path':'/b','value':9},{'op':'add','path':'/d','value':4}]"));

        Assert.Equal("{'a':1,'b':9,'c':3,'d':4}", Quoted(result));
    }

    [Fact]
    public void Copies_are_independent()
    {
        var result = JsonPatch.Apply(Parse("{'a':{'b':1}}"), Array("[{'op':'copy','from':'/a','path':'/c'},{'op':'replace','path':'/c/b','value':2}]"));

        Assert.Equal("{'a':{'b':1},'c':{'b':2}}", Quoted(result));
    }

    [Fact]
    public void A_null_patch_body_is_an_empty_patch()
    {
        Assert.Equal("{'a':1}", Quoted(JsonPatch.Apply(Parse("{'a':1}"), (System.Text.Json.Nodes.JsonNode?)null)));
    }

    // A patch that is not a list of operations is malformed (400), with encoding/json's message.
    [Theory]
    [InlineData("{'op':'add','path':'/a','value':1}", "json: cannot unmarshal object into Go value of type jsonpatch.Patch")]
    [InlineData("'add'", "json: cannot unmarshal string into Go value of type jsonpatch.Patch")]
    [InlineData("5", "json: cannot unmarshal number into Go value of type jsonpatch.Patch")]
    [InlineData("true", "json: cannot unmarshal bool into Go value of type jsonpatch.Patch")]
    [InlineData("['add']", "json: cannot unmarshal string into Go value of type jsonpatch.Operation")]
    [InlineData("[{'op':'test','path':'/a','value':1},[1]]", "json: cannot unmarshal array into Go value of type jsonpatch.Operation")]
    public void Rejects_malformed_patches(string patch, string message)
    {
        var error = Assert.Throws<PatchException>(() => JsonPatch.Apply(Parse("{'a':1}"), Parse(patch)));

        Assert.Equal(message, error.Message);
        Assert.Equal(message, error.StatusMessage);
        Assert.Equal(PatchErrorKind.Malformed, error.Kind);
        Assert.Equal(400, error.StatusCode);
    }

    // Failures while applying are 422 with evanphx/json-patch v4's messages (what kubectl prints).
    [Theory]
    // test
    [InlineData("{'spec':{'replicas':2}}", "[{'op':'test','path':'/spec/replicas','value':3}]", "testing value /spec/replicas failed: test failed")]
    [InlineData("{'a':'1'}", "[{'op':'test','path':'/a','value':1}]", "testing value /a failed: test failed")]
    [InlineData("{'a':{'b':1}}", "[{'op':'test','path':'/a','value':{'b':1,'c':2}}]", "testing value /a failed: test failed")]
    [InlineData("{'a':[1,2]}", "[{'op':'test','path':'/a','value':[2,1]}]", "testing value /a failed: test failed")]
    [InlineData("{'a':1}", "[{'op':'test','path':'/b','value':1}]", "testing value /b failed: test failed")]
    [InlineData("{'a':1}", "[{'op':'test','path':'/a'}]", "testing value /a failed: test failed")]
    [InlineData("{'a':1}", "[{'op':'test','path':'/a','value':null}]", "testing value /a failed: test failed")]
    [InlineData("{'a':1}", "[{'op':'test','path':'','value':{'a':2}}]", "testing value  failed: test failed")]
    [InlineData("{'a':1}", "[{'op':'test','path':'/x/y','value':1}]", "test operation does not apply: is missing path: /x/y: missing value")]
    [InlineData("{'a':[1]}", "[{'op':'test','path':'/a/5','value':1}]", "error in test for path: '/a/5': Unable to access invalid index: 5: invalid index referenced")]
    [InlineData("{'a':[1]}", "[{'op':'test','path':'/a/x','value':1}]", "error in test for path: '/a/x': strconv.Atoi: parsing \"x\": invalid syntax")]
    [InlineData("{'a':1}", "[{'op':'test','value':1}]", "test operation failed to decode path: operation missing path field: missing value")]
    [InlineData("{'a':1}", "[{'op':'test','path':5,'value':1}]", "test operation failed to decode path: json: cannot unmarshal number into Go value of type string")]
    // add
    [InlineData("{'a':1}", "[{'op':'add','path':'/x/y','value':1}]", "add operation does not apply: doc is missing path: \"/x/y\": missing value")]
    [InlineData("{'a':1}", "[{'op':'add','path':'/a/y','value':1}]", "add operation does not apply: doc is missing path: \"/a/y\": missing value")]
    [InlineData("{'a':null}", "[{'op':'add','path':'/a/y','value':1}]", "add operation does not apply: doc is missing path: \"/a/y\": missing value")]
    [InlineData("{'a':1}", "[{'op':'add','path':'','value':{}}]", "add operation does not apply: doc is missing path: \"\": missing value")]
    [InlineData("{'a':1}", "[{'op':'add','path':'a','value':1}]", "add operation does not apply: doc is missing path: \"a\": missing value")]
    [InlineData("{'a':[1]}", "[{'op':'add','path':'/a/2','value':1}]", "error in add for path: '/a/2': Unable to access invalid index: 2: invalid index referenced")]
    [InlineData("{'a':[1]}", "[{'op':'add','path':'/a/-3','value':1}]", "error in add for path: '/a/-3': Unable to access invalid index: -3: invalid index referenced")]
    [InlineData("{'a':[1]}", "[{'op':'add','path':'/a/x','value':1}]",
        "error in add for path: '/a/x': value was not a proper array index: 'x': strconv.Atoi: parsing \"x\": invalid syntax")]
    [InlineData("{'a':[1]}", "[{'op':'add','path':'/a/','value':1}]",
        "error in add for path: '/a/': value was not a proper array index: '': strconv.Atoi: parsing \"\": invalid syntax")]
    [InlineData("{'a':[1]}", "[{'op':'add','path':'/a/99999999999999999999','value':1}]",
        "error in add for path: '/a/99999999999999999999': value was not a proper array index: '99999999999999999999': strconv.Atoi: parsing \"99999999999999999999\": value out of range")]
    [InlineData("{'a':1}", "[{'op':'add','value':1}]", "add operation failed to decode path: missing value")]
    // remove
    [InlineData("{'a':1}", "[{'op':'remove','path':'/b'}]", "error in remove for path: '/b': Unable to remove nonexistent key: b: missing value")]
    [InlineData("{'metadata':{'labels':{}}}", "[{'op':'remove','path':'/metadata/labels/app'}]",
        "error in remove for path: '/metadata/labels/app': Unable to remove nonexistent key: app: missing value")]
    [InlineData("{'a':1}", "[{'op':'remove','path':'/x/y'}]", "remove operation does not apply: doc is missing path: \"/x/y\": missing value")]
    [InlineData("{'a':[1]}", "[{'op':'remove','path':'/a/1'}]", "error in remove for path: '/a/1': Unable to access invalid index: 1: invalid index referenced")]
    [InlineData("{'a':[1]}", "[{'op':'remove','path':'/a/-2'}]", "error in remove for path: '/a/-2': Unable to access invalid index: -2: invalid index referenced")]
    [InlineData("{'a':[1]}", "[{'op':'remove','path':'/a/-'}]", "error in remove for path: '/a/-': strconv.Atoi: parsing \"-\": invalid syntax")]
    [InlineData("{'a':1}", "[{'op':'remove'}]", "remove operation failed to decode path: missing value")]
    // replace
    [InlineData("{'a':1}", "[{'op':'replace','path':'/x/y','value':1}]", "replace operation does not apply: doc is missing path: /x/y: missing value")]
    [InlineData("{'a':[1]}", "[{'op':'replace','path':'/a/1','value':1}]", "replace operation does not apply: doc is missing key: /a/1: missing value")]
    [InlineData("{'a':[1]}", "[{'op':'replace','path':'/a/-','value':1}]", "replace operation does not apply: doc is missing key: /a/-: missing value")]
    [InlineData("{'a':1}", "[{'op':'replace','path':'','value':1}]", "replace operation value must be object or array: %!w(<nil>)")]
    [InlineData("{'a':1}", "[{'op':'replace','value':1}]", "replace operation failed to decode path: operation missing path field: missing value")]
    [InlineData("{'a':1}", "[{'op':'replace','path':{},'value':1}]", "replace operation failed to decode path: json: cannot unmarshal object into Go value of type string")]
    // move
    [InlineData("{'a':1}", "[{'op':'move','from':'/b','path':'/c'}]", "error in move for path: 'b': Unable to remove nonexistent key: b: missing value")]
    [InlineData("{'a':1}", "[{'op':'move','from':'/x/b','path':'/c'}]", "move operation does not apply: doc is missing from path: /x/b: missing value")]
    [InlineData("{'a':[1]}", "[{'op':'move','from':'/a/3','path':'/c'}]", "error in move for path: '3': Unable to access invalid index: 3: invalid index referenced")]
    [InlineData("{'a':{'b':1}}", "[{'op':'move','from':'/a','path':'/a/b/c'}]", "move operation does not apply: doc is missing destination path: /a/b/c: missing value")]
    [InlineData("{'a':1,'l':[]}", "[{'op':'move','from':'/a','path':'/l/1'}]", "error in move for path: '/l/1': Unable to access invalid index: 1: invalid index referenced")]
    [InlineData("{'a':1}", "[{'op':'move','path':'/c'}]", "move operation failed to decode from: operation, missing from field: missing value")]
    [InlineData("{'a':1}", "[{'op':'move','from':'/a'}]", "move operation failed to decode path: operation missing path field: missing value")]
    // copy
    [InlineData("{'a':1}", "[{'op':'copy','from':'/x/y','path':'/c'}]", "copy operation does not apply: doc is missing from path: /x/y: missing value")]
    [InlineData("{'a':1}", "[{'op':'copy','from':'/a','path':'/x/y'}]", "copy operation does not apply: doc is missing destination path: /x/y: missing value")]
    [InlineData("{'a':[1]}", "[{'op':'copy','from':'/a/1','path':'/c'}]", "error in copy for from: '/a/1': Unable to access invalid index: 1: invalid index referenced")]
    [InlineData("{'a':[1]}", "[{'op':'copy','from':'/a/0','path':'/a/5'}]", "error while adding value during copy: Unable to access invalid index: 5: invalid index referenced")]
    [InlineData("{'a':1}", "[{'op':'copy','path':'/c'}]", "copy operation failed to decode from: operation, missing from field: missing value")]
    [InlineData("{'a':1}", "[{'op':'copy','from':'/a','path':true}]", "copy operation failed to decode path: missing value")]
    // op
    [InlineData("{'a':1}", "[{'op':'upsert','path':'/a','value':1}]", "Unexpected kind: upsert")]
    [InlineData("{'a':1}", "[{'path':'/a','value':1}]", "Unexpected kind: unknown")]
    [InlineData("{'a':1}", "[{'op':1,'path':'/a'}]", "Unexpected kind: unknown")]
    [InlineData("{'a':1}", "[null]", "Unexpected kind: unknown")]
    [InlineData("{'a':1}", "[{'op':'ADD','path':'/a','value':1}]", "Unexpected kind: ADD")]
    public void Fails_like_upstream(string document, string patch, string message)
    {
        var error = Assert.Throws<PatchException>(() => JsonPatch.Apply(Parse(document), Array(patch)));

        Assert.Equal(message, error.Message);
        Assert.Equal(PatchErrorKind.Unprocessable, error.Kind);
        Assert.Equal(422, error.StatusCode);
        Assert.Equal("the server rejected our request due to an error in our request", error.StatusMessage);
    }

    [Fact]
    public void Stops_at_the_first_failing_operation()
    {
        var error = Assert.Throws<PatchException>(() => JsonPatch.Apply(
            Parse("{'a':1}"),
            Array("[{'op':'add','path':'/b','value':2},{'op':'test','path':'/a','value':5},{'op':'add','path':'/c','value':3}]")));

        Assert.Equal("testing value /a failed: test failed", error.Message);
    }

    [Fact]
    public void Rollout_undo_patch_replaces_template_and_annotations()
    {
        // kubectl rollout undo (docs/kubectl-compat.md §4.5): two replace operations on existing paths.
        var live = Parse("{'metadata':{'name':'web','annotations':{'deployment.kubernetes.io/revision':'3'}}," +
            "'spec':{'replicas':2,'template':{'metadata':{'labels':{'app':'web'}},'spec':{'containers':[{'name':'web','image':'nginx:1.27'}]}}}}");
        var patch = Array("[{'op':'replace','path':'/spec/template','value':{'metadata':{'labels':{'app':'web'}},'spec':{'containers':[{'name':'web','image':'nginx:1.25'}]}}}," +
            "{'op':'replace','path':'/metadata/annotations','value':{'deployment.kubernetes.io/revision':'3','kubernetes.io/change-cause':'undo'}}]");

        var result = JsonPatch.Apply(live, patch);

        Assert.Equal(
            Canonical(Parse("{'metadata':{'name':'web','annotations':{'deployment.kubernetes.io/revision':'3','kubernetes.io/change-cause':'undo'}}," +
                "'spec':{'replicas':2,'template':{'metadata':{'labels':{'app':'web'}},'spec':{'containers':[{'name':'web','image':'nginx:1.25'}]}}}}")),
            Canonical(result));
    }
}
