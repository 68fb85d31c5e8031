using System.Net;
using Korral.Ingress.Nginx;
using Korral.Ingress.Tests.Fixtures;
using Korral.Ingress.Translation;

namespace Korral.Ingress.Tests.Config;

/// <summary>The golden cases under Config/Cases/&lt;case&gt;/: input.yaml (the cluster's objects), nginx.conf and problems.txt.</summary>
public static class ConfigCases
{
    public static string Root { get; } = GoldenFile.Directory("Cases");

    public static TheoryData<string> Names()
    {
        var names = new TheoryData<string>();
        foreach (var directory in Directory.GetDirectories(Root).Order(StringComparer.Ordinal))
        {
            names.Add(Path.GetFileName(directory));
        }

        return names;
    }

    public static ClusterObjects Objects(string name) => ClusterObjects.Parse(File.ReadAllText(Path.Combine(Root, name, "input.yaml")));

    /// <summary>Translates and renders a case with the controller's defaults (ports 80/443 on every IPv4 and IPv6 address).</summary>
    public static (NginxConfiguration Configuration, string Text) Render(string name, NginxLayout layout, IReadOnlyList<IPAddress>? listen = null)
    {
        var objects = Objects(name);
        var configuration = IngressTranslator.Translate(objects.Ingresses, new MemoryBackendSource(objects), new NamedCertificateSource(objects, layout.CertsDir));
        var options = new NginxRenderOptions { Layout = layout, ListenAddresses = listen ?? [IPAddress.Any, IPAddress.IPv6Any] };
        return (configuration, NginxConfigWriter.Render(configuration, options));
    }
}
