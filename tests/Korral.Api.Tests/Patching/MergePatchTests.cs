using Korral.Api.Patching;
using static Korral.Api.Tests.Patching.PatchJson;

namespace Korral.Api.Tests.Patching;

public class MergePatchTests
{
    // target, patch, expected.
    [Theory]
    // RFC 7386 appendix A.
    [InlineData("{'a':'b'}", "{'a':'c'}", "{'a':'c'}")]
    [InlineData("{'a':'b'}", "{'b':'c'}", "{'a':'b','b':'c'}")]
    [InlineData("{'a':'b'}", "{'a':null}", "{}")]
    [InlineData("{'a':'b','b':'c'}", "{'a':null}", "{'b':'c'}")]
    [InlineData("{'a':['b']}", "{'a':'c'}", "{'a':'c'}")]
    [InlineData("{'a':'c'}", "{'a':['b']}", "{'a':['b']}")]
    [InlineData("{'a':{'b':'c'}}", "{'a':{'b':'d','c':null}}", "{'a':{'b':'d'}}")]
    [InlineData("{'a':[{'b':'c'}]}", "{'a':[1]}", "{'a':[1]}")]
    [InlineData("['a','b']", "['c','d']", "['c','d']")]
    [InlineData("{'a':'b'}", "['c']", "['c']")]
    [InlineData("{'a':'foo'}", "null", "null")]
    [InlineData("{'a':'foo'}", "'bar'", "'bar'")]
    [InlineData("{'e':null}", "{'a':1}", "{'e':null,'a':1}")]
    [InlineData("[1,2]", "{'a':'b','c':null}", "{'a':'b'}")]
    [InlineData("{}", "{'a':{'bb':{'ccc':null}}}", "{'a':{'bb':{}}}")]
    // nested merges, deletions of missing keys, empty patches
    [InlineData("{'metadata':{'labels':{'a':'1','b':'2'}}}", "{'metadata':{'labels':{'b':null,'c':'3'}}}", "{'metadata':{'labels':{'a':'1','c':'3'}}}")]
    [InlineData("{'a':1}", "{'b':null}", "{'a':1}")]
    [InlineData("{'a':1}", "{}", "{'a':1}")]
    [InlineData("{'spec':{'replicas':1,'template':{'x':1}}}", "{'spec':{'replicas':5}}", "{'spec':{'replicas':5,'template':{'x':1}}}")]
    [InlineData("{'a':{'b':1}}", "{'a':{}}", "{'a':{'b':1}}")]
    [InlineData("{'a':{'b':1}}", "{'a':'x'}", "{'a':'x'}")]
    [InlineData("{'a':'x'}", "{'a':{'b':{'c':null,'d':1}}}", "{'a':{'b':{'d':1}}}")]
    // lists are values: replaced whole, never merged
    [InlineData("{'l':[1,2,3]}", "{'l':[4]}", "{'l':[4]}")]
    [InlineData("{'l':[{'name':'a','x':1}]}", "{'l':[{'name':'a','y':2}]}", "{'l':[{'name':'a','y':2}]}")]
    [InlineData("{'l':[1]}", "{'l':[]}", "{'l':[]}")]
    // upstream (json-patch v4): a value landing where there was no object loses its nulls, list elements included...
    [InlineData("{}", "{'l':[1,null,{'a':null,'b':2}]}", "{'l':[1,{'b':2}]}")]
    [InlineData("{'l':[0]}", "{'l':[null,1]}", "{'l':[1]}")]
    // ...but a list replacing an object is taken as it is.
    [InlineData("{'l':{'a':1}}", "{'l':[null,{'a':null}]}", "{'l':[null,{'a':null}]}")]
    // int-or-string and quantities are plain values
    [InlineData("{'spec':{'strategy':{'rollingUpdate':{'maxSurge':1}}}}", "{'spec':{'strategy':{'rollingUpdate':{'maxSurge':'25%'}}}}",
        "{'spec':{'strategy':{'rollingUpdate':{'maxSurge':'25%'}}}}")]
    [InlineData("{'resources':{'limits':{'cpu':'500m','memory':'1Gi'}}}", "{'resources':{'limits':{'cpu':1}}}", "{'resources':{'limits':{'cpu':1,'memory':'1Gi'}}}")]
    public void Applies(string target, string patch, string expected)
    {
        var patchNode = Parse(patch);
        var before = patchNode?.ToJsonString();

        var result = MergePatch.Apply(Parse(target), patchNode);

        Assert.Equal(Canonical(Parse(expected)), Canonical(result));
        Assert.Equal(before, patchNode?.ToJsonString());
    }

    [Fact]
    public void Kubectl_scale_patch()
    {
        var live = Parse("{'kind':'Scale','apiVersion':'autoscaling/v1','metadata':{'name':'web'},'spec':{'replicas':2},'status':{'replicas':2,'selector':'app=web'}}");

        var result = MergePatch.Apply(live, Parse("{'spec':{'replicas':5}}"));

        Assert.Equal(
            "{'kind':'Scale','apiVersion':'autoscaling/v1','metadata':{'name':'web'},'spec':{'replicas':5},'status':{'replicas':2,'selector':'app=web'}}",
            Quoted(result));
    }

    [Fact]
    public void New_values_are_copies()
    {
        var patch = Parse("{'a':{'b':[1]}}");

        var result = MergePatch.Apply(Parse("{}"), patch)!;
        result["a"]!["b"]!.AsArray().Add(2);

        Assert.Equal("{'a':{'b':[1]}}", Quoted(patch));
    }

    // original, target, the patch CreateMergePatch computes.
    [Theory]
    [InlineData("{'a':1}", "{'a':1}", "{}")]
    [InlineData("{'a':1}", "{'a':2}", "{'a':2}")]
    [InlineData("{'a':1}", "{}", "{'a':null}")]
    [InlineData("{}", "{'a':{'b':null}}", "{'a':{'b':null}}")]
    [InlineData("{'a':{'b':1,'c':2}}", "{'a':{'b':1,'c':3,'d':4}}", "{'a':{'c':3,'d':4}}")]
    [InlineData("{'a':{'b':1}}", "{'a':{}}", "{'a':{'b':null}}")]
    [InlineData("{'a':{'b':1}}", "{'a':[1]}", "{'a':[1]}")]
    [InlineData("{'a':[1,2]}", "{'a':[1,2]}", "{}")]
    [InlineData("{'a':[1,2]}", "{'a':[2,1]}", "{'a':[2,1]}")]
    [InlineData("{'a':[{'x':1}]}", "{'a':[{'x':1.0}]}", "{}")]
    [InlineData("{'a':null}", "{'a':null}", "{}")]
    [InlineData("{'a':null}", "{'a':1}", "{'a':1}")]
    [InlineData("{'a':'1'}", "{'a':1}", "{'a':1}")]
    [InlineData("{'a':1}", "[1]", "[1]")]
    public void Creates_merge_patches(string original, string target, string expected)
    {
        var originalNode = Parse(original);
        var targetNode = Parse(target);

        var patch = MergePatch.CreateMergePatch(originalNode, targetNode);

        Assert.Equal(Canonical(Parse(expected)), Canonical(patch));
        Assert.Equal(Canonical(Parse(original)), Canonical(originalNode));
        Assert.Equal(Canonical(Parse(target)), Canonical(targetNode));
    }
}
