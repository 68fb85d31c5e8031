using System.Text.Json.Nodes;
using Korral.Api.Defaulting;

namespace Korral.Api.Tests.Defaulting;

/// <summary>The DefaultStorageClass admission step: which class is the default, and which claims get it.</summary>
public class ClaimAdmissionTests
{
    private static JsonObject Class(string name, string created, string? annotation = "storageclass.kubernetes.io/is-default-class", string value = "true")
    {
        var meta = new JsonObject { ["name"] = name, ["creationTimestamp"] = created };
        if (annotation is not null)
        {
            meta["annotations"] = new JsonObject { [annotation] = value };
        }

        return new JsonObject { ["metadata"] = meta };
    }

    public static TheoryData<string, JsonObject[], string?> DefaultClasses => new()
    {
        { "none", [], null },
        { "not marked", [Class("a", "2024-01-01T00:00:00Z", annotation: null)], null },
        { "marked false", [Class("a", "2024-01-01T00:00:00Z", value: "false")], null },
        { "marked True (not exactly true)", [Class("a", "2024-01-01T00:00:00Z", value: "True")], null },
        { "GA annotation", [Class("a", "2024-01-01T00:00:00Z"), Class("b", "2024-01-01T00:00:00Z", annotation: null)], "a" },
        { "beta annotation", [Class("a", "2024-01-01T00:00:00Z", "storageclass.beta.kubernetes.io/is-default-class")], "a" },
        { "newest of several", [Class("old", "2024-01-01T00:00:00Z"), Class("new", "2024-06-01T00:00:00Z"), Class("mid", "2024-03-01T00:00:00Z")], "new" },
        { "same time: first name", [Class("zeta", "2024-01-01T00:00:00Z"), Class("alpha", "2024-01-01T00:00:00Z")], "alpha" },
    };

    [Theory]
    [MemberData(nameof(DefaultClasses))]
    public void DefaultClassName_picks_the_newest_marked_class(string why, JsonObject[] classes, string? expected) =>
        Assert.True(expected == ClaimAdmission.DefaultClassName(classes), why);

    [Theory]
    [InlineData("""{"spec":{}}""", "local-path")]
    [InlineData("""{}""", "local-path")]
    [InlineData("""{"spec":{"storageClassName":null}}""", "local-path")]
    [InlineData("""{"spec":{"storageClassName":""}}""", "")]
    [InlineData("""{"spec":{"storageClassName":"fast"}}""", "fast")]
    [InlineData("""{"metadata":{"annotations":{"volume.beta.kubernetes.io/storage-class":"slow"}},"spec":{}}""", null)]
    [InlineData("""{"metadata":{"annotations":{"volume.beta.kubernetes.io/storage-class":""}},"spec":{}}""", null)]
    public void Only_a_claim_without_any_class_gets_the_default(string claimJson, string? expected)
    {
        var claim = JsonNode.Parse(claimJson)!.AsObject();
        ClaimAdmission.ApplyDefaultStorageClass(claim, "local-path");
        Assert.Equal(expected, (string?)claim["spec"]?["storageClassName"]);
    }

    [Fact]
    public void Without_a_default_class_the_claim_is_left_alone()
    {
        var claim = JsonNode.Parse("""{"spec":{}}""")!.AsObject();
        ClaimAdmission.ApplyDefaultStorageClass(claim, null);
        Assert.False(claim["spec"]!.AsObject().ContainsKey("storageClassName"));
    }
}
