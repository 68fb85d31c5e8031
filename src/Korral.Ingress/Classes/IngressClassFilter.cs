using Korral.Api.Models.NetworkingV1;

namespace Korral.Ingress.Classes;

// "Ingress" is the Kubernetes type here, not the namespace Korral.Ingress: an alias inside the namespace is found first.
using Ingress = Korral.Api.Models.NetworkingV1.Ingress;

/// <summary>
/// Decides which Ingresses this controller serves, as ingress-nginx does:
/// <list type="number">
/// <item>spec.ingressClassName names our class, or an IngressClass whose spec.controller is ours;</item>
/// <item>else the legacy annotation kubernetes.io/ingress.class equals our class name;</item>
/// <item>else (no class at all) when one of our IngressClasses is the cluster's default. Upstream's API server gives such
/// an Ingress the default class when it is created (the DefaultIngressClass admission plugin); serving class-less
/// Ingresses while our class is the default has the same effect, and also covers Ingresses created before it.</item>
/// </list>
/// </summary>
public sealed class IngressClassFilter(string className, string controllerName, Func<IReadOnlyList<IngressClass>> classes)
{
    public const string ClassAnnotation = "kubernetes.io/ingress.class";
    public const string DefaultClassAnnotation = "ingressclass.kubernetes.io/is-default-class";

    public bool IsOurs(Ingress ingress)
    {
        if (ingress.Spec?.IngressClassName is { Length: > 0 } name)
        {
            return name == className || classes().Any(c => c.Metadata?.Name == name && c.Spec?.Controller == controllerName);
        }

        if (ingress.Metadata?.Annotations is { } annotations && annotations.TryGetValue(ClassAnnotation, out var annotated))
        {
            return annotated == className;
        }

        return classes().Any(c => IsDefault(c) && (c.Metadata?.Name == className || c.Spec?.Controller == controllerName));
    }

    /// <summary>True when <paramref name="ingressClass"/> carries is-default-class: "true".</summary>
    public static bool IsDefault(IngressClass ingressClass) =>
        ingressClass.Metadata?.Annotations is { } annotations && annotations.TryGetValue(DefaultClassAnnotation, out var value) && value == "true";
}
