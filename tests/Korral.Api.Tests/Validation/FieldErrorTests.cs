using System.Text.Json.Nodes;
using Korral.Api.Validation;

namespace Korral.Api.Tests.Validation;

public class FieldErrorTests
{
    [Fact]
    public void PathPrintsChildrenIndicesAndKeys()
    {
        Assert.Equal("spec.containers[0].image", FieldPath.Root("spec").Child("containers").Index(0).Child("image").ToString());
        Assert.Equal("metadata.labels[app]", FieldPath.Root("metadata", "labels").Key("app").ToString());
        Assert.Equal("", FieldPath.Empty.ToString());
        Assert.Equal("data", FieldPath.Empty.Child("data").ToString());
    }

    public static TheoryData<FieldError, string> Renderings => new()
    {
        { FieldError.Required(FieldPath.Root("spec", "containers").Index(0).Child("image")), "spec.containers[0].image: Required value" },
        { FieldError.Required(FieldPath.Root("metadata", "name"), "name or generateName is required"), "metadata.name: Required value: name or generateName is required" },
        { FieldError.Invalid(FieldPath.Root("spec", "replicas"), -1L, "must be greater than or equal to 0"), "spec.replicas: Invalid value: -1: must be greater than or equal to 0" },
        { FieldError.Invalid(FieldPath.Root("metadata", "name"), "Bad_Name", "x"), "metadata.name: Invalid value: \"Bad_Name\": x" },
        {
            FieldError.NotSupported(FieldPath.Root("spec", "containers").Index(0).Child("imagePullPolicy"), "x", ["Always", "IfNotPresent", "Never"]),
            "spec.containers[0].imagePullPolicy: Unsupported value: \"x\": supported values: \"Always\", \"IfNotPresent\", \"Never\""
        },
        { FieldError.Duplicate(FieldPath.Root("spec", "containers").Index(1).Child("name"), "web"), "spec.containers[1].name: Duplicate value: \"web\"" },
        { FieldError.NotFound(FieldPath.Root("spec", "containers").Index(0).Child("volumeMounts").Index(0).Child("name"), "data"), "spec.containers[0].volumeMounts[0].name: Not found: \"data\"" },
        { FieldError.Forbidden(FieldPath.Root("spec"), "pod updates may not add or remove containers"), "spec: Forbidden: pod updates may not add or remove containers" },
        { FieldError.TooLong(FieldPath.Root("metadata", "annotations"), 262144), "metadata.annotations: Too long: may not be more than 262144 bytes" },
        { FieldError.TooLong(FieldPath.Empty, 1048576), ": Too long: may not be more than 1048576 bytes" },
        { FieldError.TooMany(FieldPath.Root("endpoints"), 1001, 1000), "endpoints: Too many: 1001: must have at most 1000 items" },
        { FieldError.Invalid(FieldPath.Root("spec", "x"), true, "d"), "spec.x: Invalid value: true: d" },
        { FieldError.Invalid(FieldPath.Root("spec", "x"), null, "d"), "spec.x: Invalid value: null: d" },
        { FieldError.Invalid(FieldPath.Root("spec", "x"), 1.5, "d"), "spec.x: Invalid value: 1.5: d" },
        { FieldError.Invalid(FieldPath.Root("spec", "x"), "a\"b\n", "d"), "spec.x: Invalid value: \"a\\\"b\\n\": d" },
    };

    [Theory]
    [MemberData(nameof(Renderings))]
    public void RendersAsUpstream(FieldError error, string expected) => Assert.Equal(expected, error.ToString());

    [Fact]
    public void CompositeValuesPrintInGoSyntax()
    {
        var labels = JsonNode.Parse("""{"tier":"front","app":"web"}""");
        var e = FieldError.Invalid(FieldPath.Root("spec", "template", "metadata", "labels"), labels, "`selector` does not match template `labels`");
        Assert.Equal("spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\", \"tier\":\"front\"}: `selector` does not match template `labels`", e.ToString());

        var list = FieldError.Invalid(FieldPath.Root("spec", "clusterIPs").Index(0), new List<string> { "10.0.0.1" }, "may not change once set");
        Assert.Equal("spec.clusterIPs[0]: Invalid value: []string{\"10.0.0.1\"}: may not change once set", list.ToString());

        var selector = GoSyntax.LabelSelector(JsonNode.Parse("""{"matchLabels":{"app":"x"}}"""));
        Assert.Equal("v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"x\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}", selector.Text);
    }

    [Theory]
    [InlineData(1.5, "1.5")]
    [InlineData(100000.0, "100000")]
    [InlineData(1000000.0, "1e+06")]
    [InlineData(123456789.0, "1.23456789e+08")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(-2.25, "-2.25")]
    public void FloatsPrintLikeGo(double value, string expected) => Assert.Equal(expected, GoSyntax.Float(value));

    [Fact]
    public void CausesCarryReasonBodyAndField()
    {
        FieldErrorList errs =
        [
            FieldError.Required(FieldPath.Root("spec", "containers")),
            FieldError.Invalid(FieldPath.Root("metadata", "name"), "bad-name!", "oops"),
        ];
        Assert.Equal(
            [
                new FieldErrorCause("FieldValueRequired", "Required value", "spec.containers"),
                new FieldErrorCause("FieldValueInvalid", "Invalid value: \"bad-name!\": oops", "metadata.name"),
            ],
            errs.Causes);
        foreach (var t in Enum.GetValues<FieldErrorType>())
        {
            Assert.NotEmpty(t.Reason());
        }

        Assert.Equal("FieldValueTypeInvalid", FieldErrorType.TypeInvalid.Reason());
        Assert.Equal("FieldValueTooMany", FieldErrorType.TooMany.Reason());
    }

    [Fact]
    public void InvalidMessageAggregatesAndQualifiesTheKind()
    {
        FieldErrorList one = [FieldError.Required(FieldPath.Root("spec", "containers"))];
        Assert.Equal("Pod \"p\" is invalid: spec.containers: Required value", one.ToInvalidMessage("Pod", "", "p"));

        FieldErrorList two =
        [
            FieldError.Required(FieldPath.Root("spec", "selector")),
            FieldError.Required(FieldPath.Root("spec", "selector")),
            FieldError.Invalid(FieldPath.Root("spec", "replicas"), -1L, "must be greater than or equal to 0"),
        ];
        Assert.Equal(
            "Deployment.apps \"web\" is invalid: [spec.selector: Required value, spec.replicas: Invalid value: -1: must be greater than or equal to 0]",
            two.ToInvalidMessage("Deployment", "apps", "web"));
        Assert.Equal(3, two.Causes.Count);
        Assert.Equal("ConfigMap \"c\" is invalid", new FieldErrorList().ToInvalidMessage("ConfigMap", "", "c"));
    }
}
