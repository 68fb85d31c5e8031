using System.Security.Cryptography.X509Certificates;
using System.Text;
using YamlDotNet.RepresentationModel;

namespace Korral.Bench.Cluster;

/// <summary>
/// What the benchmark needs from a kubeconfig: the server URL of the current context, its CA (pinned) and a client
/// certificate with its key. Inline <c>*-data</c> fields and file paths are both accepted; tokens are not.
/// </summary>
public sealed class Kubeconfig
{
    private Kubeconfig(Uri server, X509Certificate2 authority, X509Certificate2 client)
    {
        Server = server;
        Authority = authority;
        Client = client;
    }

    public Uri Server { get; }

    public X509Certificate2 Authority { get; }

    public X509Certificate2 Client { get; }

    public static Kubeconfig Load(string path)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            yaml.Load(reader);
        }

        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var baseDir = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var contextName = Scalar(root, "current-context");
        var context = Named(root, "contexts", contextName, "context");
        var cluster = Named(root, "clusters", Scalar(context, "cluster"), "cluster");
        var user = Named(root, "users", Scalar(context, "user"), "user");

        var server = new Uri(Scalar(cluster, "server") ?? throw Bad(path, "the cluster has no server"));
        var caPem = Pem(cluster, "certificate-authority", baseDir) ?? throw Bad(path, "the cluster has no certificate-authority(-data)");
        var certPem = Pem(user, "client-certificate", baseDir) ?? throw Bad(path, "the user has no client-certificate(-data)");
        var keyPem = Pem(user, "client-key", baseDir) ?? throw Bad(path, "the user has no client-key(-data)");
        return new Kubeconfig(server, X509Certificate2.CreateFromPem(caPem), X509Certificate2.CreateFromPem(certPem, keyPem));
    }

    private static YamlMappingNode Named(YamlMappingNode root, string listKey, string? name, string field)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode(listKey), out var node) || node is not YamlSequenceNode list)
        {
            throw new InvalidDataException($"kubeconfig has no {listKey}");
        }

        foreach (var entry in list.Children.OfType<YamlMappingNode>())
        {
            if ((name is null || Scalar(entry, "name") == name) && entry.Children.TryGetValue(new YamlScalarNode(field), out var value) &&
                value is YamlMappingNode mapping)
            {
                return mapping;
            }
        }

        throw new InvalidDataException($"kubeconfig has no {field} named \"{name}\" in {listKey}");
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode { Value: { Length: > 0 } s } ? s : null;

    private static string? Pem(YamlMappingNode node, string key, string baseDir)
    {
        if (Scalar(node, key + "-data") is { } data)
        {
            return Encoding.ASCII.GetString(Convert.FromBase64String(data));
        }

        return Scalar(node, key) is { } file ? File.ReadAllText(Path.Combine(baseDir, file)) : null;
    }

    private static InvalidDataException Bad(string path, string why) => new($"{path}: {why} (the benchmark authenticates with a client certificate)");
}
