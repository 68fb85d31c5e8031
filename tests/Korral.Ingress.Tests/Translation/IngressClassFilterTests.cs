using Korral.Api.Models.MetaV1;
using Korral.Api.Models.NetworkingV1;
using Korral.Ingress.Classes;

namespace Korral.Ingress.Tests.Translation;

using Ingress = Korral.Api.Models.NetworkingV1.Ingress;

public sealed class IngressClassFilterTests
{
    private const string Ours = "korral.io/ingress-nginx";

    public static TheoryData<string, string?, string?, bool, bool> Cases => new()
    {
        // what, ingressClassName, kubernetes.io/ingress.class, our class is the default, ours
        { "our class by name", "nginx", null, false, true },
        { "another class of our controller", "internal", null, false, true },
        { "another controller's class", "traefik", null, true, false },
        { "a class that does not exist", "missing", null, true, false },
        { "the legacy annotation with our name", null, "nginx", false, true },
        { "the legacy annotation with another name", null, "traefik", true, false },
        { "no class while ours is the default", null, null, true, true },
        { "no class while ours is not the default", null, null, false, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void IngressIsOursAsIngressNginxDecides(string what, string? className, string? annotation, bool ourDefault, bool expected)
    {
        var classes = new List<IngressClass>
        {
            Class("nginx", Ours, ourDefault),
            Class("internal", Ours, isDefault: false),
            Class("traefik", "traefik.io/ingress-controller", isDefault: !ourDefault),
        };
        var filter = new IngressClassFilter("nginx", Ours, () => classes);
        var ingress = new Ingress
        {
            Metadata = new ObjectMeta
            {
                Name = "x",
                Namespace = "default",
                Annotations = annotation is null ? null : new Dictionary<string, string> { [IngressClassFilter.ClassAnnotation] = annotation },
            },
            Spec = new IngressSpec { IngressClassName = className },
        };

        Assert.True(filter.IsOurs(ingress) == expected, what);
    }

    [Fact]
    public void ClassCreatedAtStartIsTheDefaultWithOurController()
    {
        var created = DefaultIngressClass.Build("nginx", Ours);

        Assert.Equal("nginx", created.Metadata!.Name);
        Assert.Equal(Ours, created.Spec!.Controller);
        Assert.True(IngressClassFilter.IsDefault(created));
    }

    private static IngressClass Class(string name, string controller, bool isDefault) => new()
    {
        Metadata = new ObjectMeta
        {
            Name = name,
            Annotations = isDefault ? new Dictionary<string, string> { [IngressClassFilter.DefaultClassAnnotation] = "true" } : null,
        },
        Spec = new IngressClassSpec { Controller = controller },
    };
}
