using Korral.Api.Models;
using Korral.Api.Models.CoreV1;
using Korral.Api.Models.DiscoveryV1;
using Korral.Api.Models.NetworkingV1;
using Korral.Api.Yaml;
using Korral.Client;

namespace Korral.Ingress.Tests.Fixtures;

using Ingress = Korral.Api.Models.NetworkingV1.Ingress;

/// <summary>The objects of a test case, read from multi-document YAML as kubectl would send them.</summary>
public sealed class ClusterObjects
{
    public List<Ingress> Ingresses { get; } = [];

    public List<IngressClass> IngressClasses { get; } = [];

    public List<Service> Services { get; } = [];

    public List<EndpointSlice> EndpointSlices { get; } = [];

    public List<Secret> Secrets { get; } = [];

    public static ClusterObjects Parse(string yaml)
    {
        var objects = new ClusterObjects();
        foreach (var document in YamlJson.ParseDocuments(yaml))
        {
            if (document is null)
            {
                continue;
            }

            var kind = document["kind"]?.GetValue<string>();
            switch (kind)
            {
                case "Ingress":
                    objects.Ingresses.Add(Read<Ingress>(document));
                    break;
                case "IngressClass":
                    objects.IngressClasses.Add(Read<IngressClass>(document));
                    break;
                case "Service":
                    objects.Services.Add(Read<Service>(document));
                    break;
                case "EndpointSlice":
                    objects.EndpointSlices.Add(Read<EndpointSlice>(document));
                    break;
                case "Secret":
                    objects.Secrets.Add(Read<Secret>(document));
                    break;
                default:
                    throw new InvalidOperationException($"unexpected kind {kind} in a test case");
            }
        }

        return objects;
    }

    private static T Read<T>(System.Text.Json.Nodes.JsonNode node)
        where T : class
    {
        var obj = KubeJson.FromNode<T>(node) ?? throw new InvalidOperationException("null object");
        // As the API server defaults them: objects without a namespace live in "default".
        if (KubeModel<T>.Metadata(obj) is { Namespace: null } meta && typeof(T) != typeof(IngressClass))
        {
            meta.Namespace = "default";
        }

        return obj;
    }
}
