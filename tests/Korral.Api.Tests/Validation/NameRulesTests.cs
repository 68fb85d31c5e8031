using Korral.Api.Validation.Rules;

namespace Korral.Api.Tests.Validation;

public class NameRulesTests
{
    private const string SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    private const string LabelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    private const string Dns1035Message =
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

    [Theory]
    [InlineData("web")]
    [InlineData("web.example.com")]
    [InlineData("a")]
    [InlineData("0-a")]
    public void ValidSubdomains(string name) => Assert.Empty(NameRules.Dns1123Subdomain(name));

    [Fact]
    public void SubdomainErrors()
    {
        Assert.Equal([SubdomainMessage], NameRules.Dns1123Subdomain("Bad_Name"));
        Assert.Equal(["must be no more than 253 characters"], NameRules.Dns1123Subdomain(new string('a', 254)));
        Assert.Equal([SubdomainMessage], NameRules.Dns1123Subdomain("-a"));
    }

    [Fact]
    public void LabelErrors()
    {
        Assert.Empty(NameRules.Dns1123Label("my-name"));
        Assert.Equal(["must not contain dots"], NameRules.Dns1123Label("a.b"));
        Assert.Equal([LabelMessage], NameRules.Dns1123Label("A"));
        Assert.Equal(["must be no more than 63 characters"], NameRules.Dns1123Label(new string('a', 64)));
        Assert.Equal(["must be no more than 63 characters", "must not contain dots"], NameRules.Dns1123Label(new string('a', 63) + ".b"));
    }

    [Fact]
    public void Dns1035Errors()
    {
        Assert.Empty(NameRules.Dns1035Label("web-service"));
        Assert.Equal([Dns1035Message], NameRules.Dns1035Label("1web"));
        Assert.Equal([Dns1035Message], NameRules.Dns1035Label("web.svc"));
    }

    [Fact]
    public void QualifiedNamesAndLabelValues()
    {
        Assert.Empty(NameRules.QualifiedName("app.kubernetes.io/name"));
        Assert.Empty(NameRules.QualifiedName("App_1"));
        Assert.Equal(["prefix part must be non-empty"], NameRules.QualifiedName("/x"));
        Assert.Single(NameRules.QualifiedName("a/b/c"));
        Assert.Empty(NameRules.LabelValue(""));
        Assert.Empty(NameRules.LabelValue("v1.2_x"));
        Assert.Equal(
            ["a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"],
            NameRules.LabelValue("bad value"));
    }

    [Fact]
    public void PathSegmentsAndGenerateName()
    {
        Assert.Equal(["may not be '..'"], NameRules.PathSegmentName(".."));
        Assert.Equal(["may not contain '/'", "may not contain '%'"], NameRules.PathSegmentName("a/%"));
        Assert.Empty(NameRules.NameIsPathSegment("system:controller:x", false));
        Assert.Empty(NameRules.NameIsDnsSubdomain("web-", prefix: true));
        Assert.NotEmpty(NameRules.NameIsDnsSubdomain("web-", prefix: false));
    }

    [Fact]
    public void Formats()
    {
        Assert.Equal(["must be between 1 and 65535, inclusive"], FormatRules.PortNumber(0));
        Assert.Empty(FormatRules.PortNumber(65535));
        Assert.Empty(FormatRules.PortName("http"));
        Assert.Equal(["must be no more than 15 characters"], FormatRules.PortName("abcdefghijklmnop"));
        Assert.Equal(["must contain at least one letter (a-z)"], FormatRules.PortName("8080"));
        Assert.Equal(["must not contain consecutive hyphens", "must not begin or end with a hyphen"], FormatRules.PortName("-a--b"));
        Assert.Empty(FormatRules.Percent("25%"));
        Assert.Single(FormatRules.Percent("25"));
        Assert.Empty(FormatRules.ConfigMapKey("key.name"));
        Assert.Equal(["must not be '..'"], FormatRules.ConfigMapKey(".."));
        Assert.Single(FormatRules.ConfigMapKey("a b"));
        Assert.Empty(FormatRules.RelaxedEnvVarName("MY VAR.1"));
        Assert.Equal(["a valid environment variable name must consist only of printable ASCII characters other than '='"], FormatRules.RelaxedEnvVarName("A=B"));
        Assert.Empty(FormatRules.IpAddress(Korral.Api.Validation.FieldPath.Root("ip"), "10.0.0.1"));
        Assert.Empty(FormatRules.IpAddress(Korral.Api.Validation.FieldPath.Root("ip"), "2001:db8::1"));
        Assert.Equal(
            "ip: Invalid value: \"1\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
            FormatRules.IpAddress(Korral.Api.Validation.FieldPath.Root("ip"), "1")[0].ToString());
        Assert.Empty(FormatRules.Cidr(Korral.Api.Validation.FieldPath.Root("c"), "10.0.0.0/8"));
        Assert.Single(FormatRules.Cidr(Korral.Api.Validation.FieldPath.Root("c"), "10.0.0.0/33"));
    }
}
