using Korral.Api.Selectors;

namespace Korral.Api.Tests.Selectors;

public class LabelValidationTests
{
    [Theory]
    [InlineData("app")]
    [InlineData("a")]
    [InlineData("A.b_c-9")]
    [InlineData("example.com/app")]
    [InlineData("node-role.kubernetes.io/control-plane")]
    [InlineData("kubernetes.io/hostname")]
    public void Accepts_qualified_names(string key) => Assert.Empty(LabelValidation.QualifiedNameErrors(key));

    [Theory]
    [InlineData("")]
    [InlineData("-a")]
    [InlineData("a_")]
    [InlineData("a b")]
    [InlineData("EXAMPLE.com/a")]
    [InlineData("a/b/c")]
    [InlineData("/a")]
    [InlineData("ex_ample.com/a")]
    public void Rejects_bad_qualified_names(string key) => Assert.NotEmpty(LabelValidation.QualifiedNameErrors(key));

    [Theory]
    [InlineData("", true)]
    [InlineData("web", true)]
    [InlineData("v1.2_3-x", true)]
    [InlineData("-web", false)]
    [InlineData("web.", false)]
    [InlineData("we b", false)]
    [InlineData("caf\u00e9", false)]
    public void Checks_label_values(string value, bool valid) => Assert.Equal(valid, LabelValidation.LabelValueErrors(value).Count == 0);

    [Fact]
    public void Reports_length_and_pattern_together()
    {
        var errors = LabelValidation.LabelValueErrors(new string('a', 63) + "-");
        Assert.Equal(2, errors.Count);
        Assert.Equal("must be no more than 63 characters", errors[0]);
    }

    [Fact]
    public void Prefix_must_be_a_subdomain_of_at_most_253_characters()
    {
        var prefix = string.Join('.', Enumerable.Repeat(new string('a', 60), 5));
        var errors = LabelValidation.QualifiedNameErrors(prefix + "/x");
        Assert.Equal(["prefix part must be no more than 253 characters"], errors);
    }
}
