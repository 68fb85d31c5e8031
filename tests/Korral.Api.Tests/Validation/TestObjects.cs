using System.Text.Json.Nodes;
using Korral.Api.Defaulting;

namespace Korral.Api.Tests.Validation;

/// <summary>Valid, defaulted objects that validation tests start from and then break one rule at a time.</summary>
internal static class TestObjects
{
    public static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    public static JsonObject Defaulted(string group, string kind, string json)
    {
        var obj = Parse(json);
        ObjectDefaulterRegistry.Default.ApplyDefaults(obj, group, kind);
        return obj;
    }

    public static JsonObject Pod() => Defaulted("", "Pod", """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"default","labels":{"app":"web"}},
         "spec":{"containers":[{"name":"web","image":"nginx:1.27","ports":[{"containerPort":80,"name":"http"}]}]}}
        """);

    public static JsonObject Deployment() => Defaulted("apps", "Deployment", """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"},
         "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},
                 "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx"}]}}}}
        """);

    public static JsonObject Service() => Defaulted("", "Service", """
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"default"},
         "spec":{"selector":{"app":"web"},"ports":[{"port":80}],"clusterIP":"10.96.0.10","clusterIPs":["10.96.0.10"],
                 "ipFamilies":["IPv4"],"ipFamilyPolicy":"SingleStack"}}
        """);

    /// <summary>Applies <paramref name="edit"/> to the object and returns it (for table rows).</summary>
    public static JsonObject With(this JsonObject obj, Action<JsonObject> edit)
    {
        edit(obj);
        return obj;
    }

    public static JsonObject Spec(this JsonObject obj) => (JsonObject)obj["spec"]!;

    public static JsonObject Container(this JsonObject pod, int i = 0) => (JsonObject)pod.Spec()["containers"]![i]!;
}
