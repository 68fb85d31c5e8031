using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Korral.Api.Yaml;

namespace Korral.Client;

/// <summary>
/// Reads a kubeconfig file into <see cref="KubeClientOptions"/>: the current (or a named) context's cluster
/// (server, certificate-authority[-data], insecure-skip-tls-verify, tls-server-name) and user
/// (client-certificate[-data], client-key[-data], token, tokenFile). Relative file paths are relative to the file, as
/// upstream. Exec and auth-provider plugins are not supported.
/// </summary>
public static class Kubeconfig
{
    /// <summary>Loads <paramref name="path"/>; <paramref name="context"/> null means current-context.</summary>
    public static KubeClientOptions Load(string path, string? context = null)
    {
        var full = Path.GetFullPath(path);
        return Parse(File.ReadAllText(full), Path.GetDirectoryName(full) ?? ".", context);
    }

    /// <summary>Loads the file named by $KUBECONFIG (its first entry), else ~/.kube/config.</summary>
    public static KubeClientOptions LoadDefault(string? context = null)
    {
        var env = Environment.GetEnvironmentVariable("KUBECONFIG");
        var path = string.IsNullOrEmpty(env)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config")
            : env.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)[0];
        return Load(path, context);
    }

    /// <summary>Parses kubeconfig YAML; relative paths resolve against <paramref name="baseDirectory"/>.</summary>
    public static KubeClientOptions Parse(string yaml, string baseDirectory, string? context = null)
    {
        var root = YamlJson.Parse(yaml) as JsonObject ?? throw new FormatException("the kubeconfig is not a YAML mapping");
        var contextName = context ?? Str(root, "current-context");
        if (string.IsNullOrEmpty(contextName))
        {
            throw new FormatException("the kubeconfig has no current-context and no context was named");
        }

        var ctx = Named(root, "contexts", contextName, "context");
        var cluster = Named(root, "clusters", Str(ctx, "cluster") ?? "", "cluster");
        var userName = Str(ctx, "user");
        var user = string.IsNullOrEmpty(userName) ? new JsonObject() : Named(root, "users", userName, "user");

        var server = Str(cluster, "server") ?? throw new FormatException($"cluster of context \"{contextName}\" has no server");
        var ca = Bytes(cluster, "certificate-authority-data", "certificate-authority", baseDirectory);
        var cert = Bytes(user, "client-certificate-data", "client-certificate", baseDirectory);
        var key = Bytes(user, "client-key-data", "client-key", baseDirectory);
        if (user["exec"] is not null || user["auth-provider"] is not null)
        {
            throw new NotSupportedException($"user \"{userName}\" uses an exec or auth-provider plugin, which Korral.Client does not run");
        }

        var tokenFile = Str(user, "tokenFile");
        return new KubeClientOptions
        {
            Server = new Uri(server),
            CertificateAuthorities = ca is null ? [] : KubeClientOptions.LoadCaBundle(Encoding.ASCII.GetString(ca)),
            ClientCertificate = cert is null || key is null
                ? null
                : X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(cert), Encoding.ASCII.GetString(key)),
            BearerToken = Str(user, "token"),
            BearerTokenFile = tokenFile is null ? null : Path.GetFullPath(tokenFile, baseDirectory),
            InsecureSkipTlsVerify = cluster["insecure-skip-tls-verify"] is JsonValue v && v.TryGetValue<bool>(out var skip) && skip,
            TlsServerName = Str(cluster, "tls-server-name"),
        };
    }

    private static JsonObject Named(JsonObject root, string list, string name, string field)
    {
        if (root[list] is JsonArray items)
        {
            foreach (var item in items)
            {
                if (item is JsonObject o && Str(o, "name") == name)
                {
                    return o[field] as JsonObject ?? new JsonObject();
                }
            }
        }

        throw new FormatException($"the kubeconfig has no entry \"{name}\" in {list}");
    }

    private static string? Str(JsonObject o, string field) =>
        o[field] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;

    private static byte[]? Bytes(JsonObject o, string dataField, string fileField, string baseDirectory)
    {
        if (Str(o, dataField) is { } data)
        {
            return Convert.FromBase64String(data);
        }

        return Str(o, fileField) is { } file ? File.ReadAllBytes(Path.GetFullPath(file, baseDirectory)) : null;
    }
}
