using Korral.Api.Validation.Quantities;

namespace Korral.Api.Tests.Validation;

public class ResourceQuantityTests
{
    [Theory]
    [InlineData("500m", "500m")]
    [InlineData("0.5", "500m")]
    [InlineData("1", "1")]
    [InlineData("1000m", "1")]
    [InlineData("1500m", "1500m")]
    [InlineData("1000", "1k")]
    [InlineData("1024", "1024")]
    [InlineData("128Mi", "128Mi")]
    [InlineData("1024Mi", "1Gi")]
    [InlineData("1536Mi", "1536Mi")]
    [InlineData("1.5Gi", "1536Mi")]
    [InlineData("0.5Ki", "512")]
    [InlineData("1Gi", "1Gi")]
    [InlineData("1G", "1G")]
    [InlineData("1e3", "1e3")]
    [InlineData("12e2", "1200")]
    [InlineData("0", "0")]
    [InlineData("0.0000000001", "1n")]
    [InlineData("-100m", "-100m")]
    [InlineData("100u", "100u")]
    public void CanonicalForms(string input, string canonical) => Assert.Equal(canonical, ResourceQuantity.Parse(input).ToString());

    [Theory]
    [InlineData("abc", ResourceQuantity.FormatError)]
    [InlineData("", ResourceQuantity.FormatError)]
    [InlineData("1Gb", ResourceQuantity.FormatError)]
    [InlineData("1.2.3", ResourceQuantity.NumericError)]
    [InlineData("1mm", ResourceQuantity.SuffixError)]
    public void Errors(string input, string message)
    {
        Assert.False(ResourceQuantity.TryParse(input, out _, out var error));
        Assert.Equal(message, error);
    }

    [Fact]
    public void ComparesByValue()
    {
        Assert.True(ResourceQuantity.Parse("1") == ResourceQuantity.Parse("1000m"));
        Assert.True(ResourceQuantity.Parse("1Gi") > ResourceQuantity.Parse("1G"));
        Assert.True(ResourceQuantity.Parse("250m") < ResourceQuantity.Parse("0.3"));
        Assert.Equal(1500, ResourceQuantity.Parse("1.5").MilliValue);
        Assert.Equal(2, ResourceQuantity.Parse("1.5").Value);
        Assert.Equal("1m", ResourceQuantity.Parse("0.0001").RoundUp(-3).ToString());
        Assert.Equal("1500m", (ResourceQuantity.Parse("1") + ResourceQuantity.Parse("500m")).ToString());
    }
}
